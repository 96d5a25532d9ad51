//! What templates may do while they render: `range` lists at most [`MAX_RANGE`] numbers
//! and one page's templates at most [`RANGE_BUDGET`] in all (a loop inside a loop), a
//! page is at most [`MAX_OUTPUT`] bytes, and the environment (`get_env`) is read only
//! for the variables book.toml names (`[build] template_env`): otherwise a template of
//! a pull request would publish the building machine's secrets. Tera's own `range`
//! allocates whatever it is asked for, and its `get_env` reads anything.

use std::cell::Cell;
use std::collections::{BTreeMap, HashMap};

use tera::{Tera, Value};

/// The most numbers one `range()` may list.
pub(crate) const MAX_RANGE: usize = 10_000;
/// The most numbers all `range()` calls of one page's rendering may list.
pub(crate) const RANGE_BUDGET: usize = 100_000;
/// The most bytes a template may write for one page.
pub(crate) const MAX_OUTPUT: usize = 32 << 20;

thread_local! {
    /// What is left of [`RANGE_BUDGET`] for the page being rendered on this thread.
    static RANGE_LEFT: Cell<usize> = const { Cell::new(RANGE_BUDGET) };
}

/// Start a page's rendering on this thread: a full range budget.
pub(super) fn start_page() {
    RANGE_LEFT.with(|c| c.set(RANGE_BUDGET));
}

/// Register guidegen's bounded `range` and the allow-listed `get_env` on `tera`,
/// replacing Tera's own.
pub(super) fn register(tera: &mut Tera, env: &BTreeMap<String, String>) {
    tera.register_function("range", range);
    let env = env.clone();
    tera.register_function("get_env", move |args: &HashMap<String, Value>| {
        get_env(&env, args)
    });
}

fn number(args: &HashMap<String, Value>, key: &str, default: Option<u64>) -> tera::Result<u64> {
    match args.get(key) {
        Some(v) => v.as_u64().ok_or_else(|| {
            tera::Error::msg(format!(
                "range(): {key}={v} must be a whole number, 0 or more"
            ))
        }),
        None => default.ok_or_else(|| tera::Error::msg(format!("range(): {key}= is missing"))),
    }
}

/// `range(end=, start=0, step_by=1)`, bounded.
fn range(args: &HashMap<String, Value>) -> tera::Result<Value> {
    let start = number(args, "start", Some(0))?;
    let end = number(args, "end", None)?;
    let step = number(args, "step_by", Some(1))?;
    if step == 0 {
        return Err(tera::Error::msg("range(): step_by=0 would never end"));
    }
    if start > end {
        return Err(tera::Error::msg(format!(
            "range(): start={start} is larger than end={end}"
        )));
    }
    let len = usize::try_from((end - start).div_ceil(step)).unwrap_or(usize::MAX);
    if len > MAX_RANGE {
        return Err(tera::Error::msg(format!(
            "range() of {len} numbers: a template may list at most {MAX_RANGE} at once"
        )));
    }
    let left = RANGE_LEFT.with(Cell::get);
    if len > left {
        return Err(tera::Error::msg(format!(
            "range() calls of one page list over {RANGE_BUDGET} numbers (a loop inside a loop?)"
        )));
    }
    RANGE_LEFT.with(|c| c.set(left - len));
    let step = usize::try_from(step).unwrap_or(usize::MAX);
    Ok(Value::Array(
        (start..end).step_by(step).map(Value::from).collect(),
    ))
}

/// `get_env(name=, default=)`: only the variables book.toml allows (`env`: their values
/// when the theme was loaded, part of the build cache's key).
fn get_env(env: &BTreeMap<String, String>, args: &HashMap<String, Value>) -> tera::Result<Value> {
    let Some(name) = args.get("name").and_then(Value::as_str) else {
        return Err(tera::Error::msg("get_env(): name= must be a string"));
    };
    if let Some(v) = env.get(name) {
        return Ok(Value::String(v.clone()));
    }
    if !env.contains_key(name) && !allowed_unset(env, name) {
        return Err(tera::Error::msg(format!(
            "get_env(name=\"{name}\"): templates may not read the environment (it would publish the building machine's secrets); to allow this variable, add it to [build] template_env in book.toml"
        )));
    }
    args.get("default").cloned().ok_or_else(|| {
        tera::Error::msg(format!(
            "get_env(name=\"{name}\"): the variable is not set and no default= is given"
        ))
    })
}

/// Allowed variables that are not set are kept with this marker key, so that an unset
/// allowed variable is told apart from one never allowed.
const UNSET: &str = "\0unset\0";

fn allowed_unset(env: &BTreeMap<String, String>, name: &str) -> bool {
    env.contains_key(&format!("{UNSET}{name}"))
}

/// The values of the variables book.toml allows templates to read, from this process's
/// environment (an unset one is remembered as unset).
pub(crate) fn read_env(names: &[String]) -> BTreeMap<String, String> {
    names
        .iter()
        .map(|n| match std::env::var(n) {
            Ok(v) => (n.clone(), v),
            Err(_) => (format!("{UNSET}{n}"), String::new()),
        })
        .collect()
}

/// A writer that refuses to grow past [`MAX_OUTPUT`].
pub(super) struct Capped(pub(super) Vec<u8>);

impl std::io::Write for Capped {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        if self.0.len() + buf.len() > MAX_OUTPUT {
            return Err(std::io::Error::other(format!(
                "the template wrote over {} MB for one page",
                MAX_OUTPUT >> 20
            )));
        }
        self.0.extend_from_slice(buf);
        Ok(buf.len())
    }

    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn range_is_bounded() {
        start_page();
        let args = |end: u64| HashMap::from([("end".to_string(), Value::from(end))]);
        assert_eq!(range(&args(3)).unwrap(), Value::from(vec![0, 1, 2]));
        assert!(range(&args(100_000_000)).is_err());
        let step0 = HashMap::from([
            ("end".to_string(), Value::from(3)),
            ("step_by".to_string(), Value::from(0)),
        ]);
        assert!(range(&step0).is_err());
        start_page();
        let mut n = 0;
        while range(&args(10_000)).is_ok() {
            n += 1;
        }
        assert_eq!(n, RANGE_BUDGET / 10_000);
        start_page();
        assert!(range(&args(10_000)).is_ok());
    }

    #[test]
    fn the_environment_is_read_only_where_allowed() {
        let env = BTreeMap::from([("GIT_SHA".to_string(), "abc".to_string())]);
        let name = |n: &str| HashMap::from([("name".to_string(), Value::from(n))]);
        assert_eq!(get_env(&env, &name("GIT_SHA")).unwrap(), Value::from("abc"));
        let e = get_env(&env, &name("HOME")).unwrap_err().to_string();
        assert!(e.contains("template_env"), "{e}");
    }
}
