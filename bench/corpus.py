#!/usr/bin/env python3
"""The benchmark corpus: bilingual (ru/en) werf-style guides, written out in the
layouts of guidegen, Hugo, Zola and mdBook, so the same pages can be built by each.

    bench/corpus.py --guides 6 --chapters 40 --out DIR
    bench/corpus.py --guides 1 --chapters 10000 --only guidegen --out DIR   (a big guide)

Every guide has CHAPTERS chapters in each language. A chapter is tutorial prose
(paragraphs, a list, links to other chapters) in sections, with 4 to 7 code blocks in
the languages these guides show: YAML with Helm `{{ .Values }}`, Dockerfiles, shell,
Python, JavaScript, Ruby, Go, JSON, SQL, nginx. The ru and en pages of a chapter show
the same code, as real translations do. Output is deterministic (a seeded generator),
uses only Python's standard library, and DIR/manifest.json says what was made.

Layouts (DIR/<name>/):
  guidegen/   book.toml, content/<lang>/<guide>/_guide.md and NN_slug.md
  hugo/       config.toml (two languages, build-time highlighting), content/<lang>/...,
              layouts/ (a page with its TOC and previous/next links)
  zola/       zola.toml (two languages, highlight_code), content/<guide>/NN_slug.md and
              NN_slug.ru.md, templates/ (the same)
  mdbook-ru/, mdbook-en/   one book per language (mdBook has no languages), SUMMARY.md
"""

import argparse
import json
import os
import random
import shutil

STACKS = [
    ("flask", "Flask", "python"), ("django", "Django", "python"),
    ("fastapi", "FastAPI", "python"), ("rails", "Ruby on Rails", "ruby"),
    ("sinatra", "Sinatra", "ruby"), ("nodejs", "Node.js", "js"),
    ("nestjs", "NestJS", "js"), ("express", "Express", "js"),
    ("golang", "Go", "go"), ("gin", "Gin", "go"), ("echo", "Echo", "go"),
    ("springboot", "Spring Boot", "java"), ("quarkus", "Quarkus", "java"),
    ("laravel", "Laravel", "php"), ("symfony", "Symfony", "php"),
    ("aspnet", "ASP.NET Core", "cs"), ("phoenix", "Phoenix", "elixir"),
    ("nextjs", "Next.js", "js"), ("celery", "Celery", "python"),
    ("koa", "Koa", "js"),
]

TOPICS = [
    ("prepare-environment", "Preparing the environment", "Подготовка окружения"),
    ("application", "The application", "Приложение"),
    ("build-image", "Building the image", "Сборка образа"),
    ("werf-yaml", "werf.yaml", "Файл werf.yaml"),
    ("cluster", "The cluster", "Кластер"),
    ("registry", "The container registry", "Реестр контейнеров"),
    ("first-deploy", "The first deployment", "Первое развёртывание"),
    ("helm-chart", "The Helm chart", "Helm-чарт"),
    ("ingress", "Ingress and TLS", "Ingress и TLS"),
    ("dependencies", "Dependencies", "Зависимости"),
    ("assets", "Static assets", "Статические файлы"),
    ("database", "The database", "База данных"),
    ("migrations", "Migrations", "Миграции"),
    ("redis", "Redis", "Redis"),
    ("files", "Uploaded files", "Загружаемые файлы"),
    ("tests", "Tests", "Тесты"),
    ("ci", "Continuous delivery", "Непрерывная доставка"),
    ("environments", "Dynamic environments", "Динамические окружения"),
    ("secrets", "Secrets", "Секреты"),
    ("logs", "Logs and metrics", "Логи и метрики"),
]

WORDS = {
    "en": {
        "subject": ["werf", "the cluster", "Helm", "the registry", "the image", "the chart",
                    "the pipeline", "Kubernetes", "the ingress controller", "the build cache"],
        "verb": ["builds", "deploys", "tags", "publishes", "rolls out", "checks", "rebuilds",
                 "stores", "updates", "watches"],
        "object": ["the application", "every layer", "the manifests", "the release",
                   "the database schema", "the static files", "the secrets", "the service",
                   "the worker", "the environment"],
        "tail": ["only when its sources change", "in a predictable order",
                 "before the old version stops", "on every commit to Git",
                 "exactly as the repository describes", "without manual steps",
                 "in the same way on every machine", "so that reviews stay short"],
        "lead": ["Note that", "Remember that", "In practice,", "As a rule,", "Here", "Then"],
        "section": ["Configuration", "How it works", "Checking the result", "Details",
                    "Troubleshooting", "Next steps"],
        "list": ["Commit the change.", "Run the command again.", "Open the page.",
                 "Check the logs.", "Wait for the rollout."],
        "file": "Create the file", "see": "See the chapter",
    },
    "ru": {
        "subject": ["werf", "кластер", "Helm", "реестр", "образ", "чарт", "конвейер",
                    "Kubernetes", "ingress-контроллер", "кэш сборки"],
        "verb": ["собирает", "развёртывает", "помечает", "публикует", "выкатывает",
                 "проверяет", "пересобирает", "хранит", "обновляет", "отслеживает"],
        "object": ["приложение", "каждый слой", "манифесты", "релиз", "схему базы данных",
                   "статические файлы", "секреты", "сервис", "обработчик задач", "окружение"],
        "tail": ["только при изменении исходников", "в предсказуемом порядке",
                 "до остановки старой версии", "при каждом коммите в Git",
                 "ровно так, как описано в репозитории", "без ручных шагов",
                 "одинаково на любой машине", "чтобы ревью оставались короткими"],
        "lead": ["Обратите внимание:", "Помните, что", "На практике", "Как правило,",
                 "Здесь", "Затем"],
        "section": ["Настройка", "Как это работает", "Проверка результата", "Подробности",
                    "Если что-то пошло не так", "Что дальше"],
        "list": ["Закоммитьте изменение.", "Запустите команду ещё раз.", "Откройте страницу.",
                 "Проверьте логи.", "Дождитесь выката."],
        "file": "Создайте файл", "see": "См. главу",
    },
}

NAMES = ["order", "user", "task", "cart", "report", "event", "upload", "profile", "tag",
         "comment", "message", "item"]
FIELDS = ["id", "name", "count", "data", "flag", "at"]


def ident(r):
    return f"{r.choice(NAMES)}_{r.choice(FIELDS)}"


def code_block(r, kind, app):
    """A code block (fence language, file name, body)."""
    n = r.randint(20, 56)
    if kind == "yaml":
        lines = ["apiVersion: apps/v1", "kind: Deployment", "metadata:",
                 f"  name: {app}", "spec:", "  replicas: {{ .Values.replicas | default 1 }}",
                 "  template:", "    spec:", "      containers:", f"        - name: {app}",
                 "          image: {{ .Values.werf.image.%s }}" % app, "          env:"]
        for _ in range(n // 2):
            lines += [f"            - name: {ident(r).upper()}",
                      f'              value: "{{{{ .Values.{ident(r)} | quote }}}}"']
        return "yaml", f".helm/templates/{r.choice(NAMES)}.yaml", lines
    if kind == "dockerfile":
        lines = [f"FROM {r.choice(['python:3.12-slim', 'node:20-alpine', 'ruby:3.3', 'golang:1.22'])} AS builder",
                 "WORKDIR /app", "COPY . ."]
        lines += [f"RUN apt-get install -y {r.choice(NAMES)}-{r.randint(1, 9)}" for _ in range(n // 3)]
        lines += ["FROM gcr.io/distroless/base", "COPY --from=builder /app /app",
                  f'CMD ["/app/{app}"]']
        return "dockerfile", "Dockerfile", lines
    if kind == "bash":
        lines = [f"werf converge --repo registry.example.com/{app} --env {r.choice(['staging', 'production'])}"]
        lines += [f"kubectl -n {app} get {r.choice(['pods', 'deploy', 'svc', 'ingress'])} -l app={ident(r)}"
                  for _ in range(n // 3)]
        return "bash", None, lines
    if kind == "python":
        lines = ["from flask import Flask, jsonify", "", "app = Flask(__name__)", ""]
        for _ in range(n // 4):
            f = ident(r)
            lines += [f'@app.route("/{f}")', f"def {f}():",
                      f'    return jsonify({f}={r.randint(1, 999)}, ok=True)', ""]
        return "python", "app.py", lines
    if kind == "js":
        lines = ["const express = require('express');", "const app = express();", ""]
        for _ in range(n // 4):
            f = ident(r)
            lines += [f"app.get('/{f}', async (req, res) => {{",
                      f"  res.json({{ {f}: {r.randint(1, 999)}, ok: true }});", "});"]
        lines += ["", "app.listen(process.env.PORT || 3000);"]
        return "javascript", "server.js", lines
    if kind == "ruby":
        lines = [f"class {r.choice(NAMES).title()}Controller < ApplicationController"]
        for _ in range(n // 4):
            f = ident(r)
            lines += [f"  def {f}", f"    render json: {{ {f}: {r.randint(1, 999)} }}", "  end"]
        lines += ["end"]
        return "ruby", "app/controllers/app_controller.rb", lines
    if kind == "go":
        lines = ["package main", "", 'import "net/http"', "", "func main() {"]
        for _ in range(n // 3):
            f = ident(r)
            lines += [f'\thttp.HandleFunc("/{f}", func(w http.ResponseWriter, r *http.Request) {{',
                      f'\t\tw.Write([]byte("{f} {r.randint(1, 999)}"))', "\t})"]
        lines += ['\thttp.ListenAndServe(":8080", nil)', "}"]
        return "go", "main.go", lines
    if kind == "json":
        items = [f'  "{ident(r)}": {r.randint(1, 999)}' for _ in range(n // 2)]
        return "json", "package.json", ["{"] + [i + "," for i in items[:-1]] + [items[-1], "}"]
    if kind == "sql":
        table = r.choice(NAMES) + "s"
        cols = [f"    {ident(r)} {r.choice(['TEXT', 'INTEGER DEFAULT 0', 'JSONB', 'BOOLEAN DEFAULT false'])},"
                for _ in range(n // 2)]
        return "sql", "db/migrations/001_init.sql", [
            f"CREATE TABLE IF NOT EXISTS {table} (", "    id BIGSERIAL PRIMARY KEY,"] + cols + [
            "    created_at TIMESTAMPTZ NOT NULL DEFAULT now()", ");"]
    lines = ["server {", "    listen 80;"]
    for _ in range(n // 3):
        lines += [f"    location /{ident(r)}/ {{", f"        proxy_pass http://{app}:{r.randint(3000, 9000)};", "    }"]
    return "nginx", "nginx.conf", lines + ["}"]


KINDS = ["yaml", "yaml", "dockerfile", "bash", "json", "sql", "nginx"]
STACK_KIND = {"python": "python", "js": "js", "ruby": "ruby", "go": "go"}


def sentence(r, w, fw):
    s = f"{r.choice(w['lead'])} {r.choice(w['subject'])} {r.choice(w['verb'])} {r.choice(w['object'])} {r.choice(w['tail'])}"
    if r.random() < 0.3:
        s += f" ({fw})"
    return s + "."


def paragraph(r, w, fw):
    return " ".join(sentence(r, w, fw) for _ in range(r.randint(4, 8)))


def chapter(seed, lang, stack, idx, chapters, n_chapters):
    """One chapter's Markdown body (no frontmatter) in `lang`: the prose differs by
    language, the code (from `seed`) is the same in both."""
    name, fw, kind = stack
    w = WORDS[lang]
    r = random.Random(f"{seed}/{lang}")
    code = random.Random(seed)
    out = [paragraph(r, w, fw), ""]
    blocks = code.randint(4, 7)
    # The structure (sections, where code goes) comes from `code`: a translation has the
    # same sections and the same code; only the prose differs.
    sections = code.randint(4, 6)
    for s in range(sections):
        out += [f"## {w['section'][s % len(w['section'])]} {s + 1}", "", paragraph(r, w, fw), ""]
        if s == 1:
            out += [f"- {item}" for item in r.sample(w["list"], 3)] + [""]
        if idx > 0 and s == 0:
            prev_slug, prev_title = chapters[idx - 1]
            out += [f"{w['see']} [{prev_title}]({prev_slug}.md).", ""]
        while blocks > 0 and (blocks > sections - s - 1 or code.random() < 0.5):
            k = STACK_KIND.get(kind, "bash") if code.random() < 0.4 else code.choice(KINDS)
            fence, path, lines = code_block(code, k, name)
            if path:
                out += [f"{w['file']} `{path}`:", ""]
            out += [f"```{fence}"] + lines + ["```", ""]
            blocks -= 1
            if blocks <= sections - s - 1:
                break
        out += [paragraph(r, w, fw), ""]
    return "\n".join(out)


def chapter_list(n, lang):
    """(slug, title) of each chapter: topics, then numbered parts of them."""
    col = 1 if lang == "en" else 2
    out = []
    for i in range(n):
        t = TOPICS[i % len(TOPICS)]
        part = i // len(TOPICS)
        title = t[col] if part == 0 else f"{t[col]} ({part + 1})"
        out.append((f"{i + 1:03d}_{t[0]}" if n < 1000 else f"{i + 1:05d}_{t[0]}", title))
    return out


# An example step in each language: the application, its dependency file and test.
APPS = {
    "python": ("app.py", "requirements.txt", "test_app.py"),
    "ruby": ("app.rb", "Gemfile", "app_spec.rb"),
    "js": ("app.js", "package.json", "app.test.js"),
    "go": ("main.go", "go.mod", "main_test.go"),
    "java": ("App.java", "pom.xml", "AppTest.java"),
    "php": ("index.php", "composer.json", "AppTest.php"),
    "cs": ("Program.cs", "app.csproj", "AppTests.cs"),
    "elixir": ("app.ex", "mix.exs", "app_test.exs"),
}


def app_code(r, lang, routes):
    if lang == "python":
        out = ["from flask import Flask", "", "app = Flask(__name__)", ""]
        for f in routes:
            out += ["", f'@app.route("/{f}")', f"def {f}():", f'    return {{"{f}": {r.randint(1, 99)}}}', ""]
        return "\n".join(out) + "\n"
    if lang == "js":
        out = ['const express = require("express");', "", "const app = express();", ""]
        for f in routes:
            out += [f'app.get("/{f}", (req, res) => res.json({{ {f}: {r.randint(1, 99)} }}));']
        return "\n".join(out + ["", "module.exports = app;"]) + "\n"
    if lang == "ruby":
        out = ['require "sinatra"', ""]
        for f in routes:
            out += [f'get "/{f}" do', f'  "{r.randint(1, 99)}"', "end", ""]
        return "\n".join(out)
    if lang == "go":
        out = ["package main", "", 'import "net/http"', "", "func main() {"]
        for f in routes:
            out += [f'\thttp.HandleFunc("/{f}", func(w http.ResponseWriter, r *http.Request) {{',
                    f'\t\tw.Write([]byte("{f}"))', "\t})"]
        return "\n".join(out + ['\thttp.ListenAndServe(":8080", nil)', "}"]) + "\n"
    return "\n".join(f"// {f}: {r.randint(1, 99)}" for f in routes) + "\n"


def write_step(d, r, stack, step):
    name, fw, lang = stack
    app, deps, test = APPS[lang]
    routes = [ident(r) for _ in range(r.randint(3, 8))]
    write(f"{d}/werf.yaml", f"project: {name}\nconfigVersion: 1\n---\nimage: app\ndockerfile: Dockerfile\n"
          '{{- if eq (env "WERF_ENV") "production" }}\nargs:\n  MODE: production\n{{- end }}\n')
    write(f"{d}/Dockerfile", f"FROM {lang}:latest\nWORKDIR /app\nCOPY {deps} .\n"
          "RUN make deps \\\n    && make build\nCOPY . .\nEXPOSE 8080\n"
          f'CMD ["./run", "{app}"]\n')
    write(f"{d}/.helm/Chart.yaml", f"apiVersion: v2\nname: {name}\nversion: 1.0.{step}\n")
    write(f"{d}/.helm/values.yaml", "app:\n  replicas: 2\n  domain: example.org\n  port: 8080\n"
          "resources:\n  limits:\n    memory: 256Mi\n")
    write(f"{d}/.helm/templates/deployment.yaml", f"""apiVersion: apps/v1
kind: Deployment
metadata:
  name: {name}
spec:
  replicas: {{{{ .Values.app.replicas }}}}
  selector:
    matchLabels:
      app: {name}
  template:
    metadata:
      labels:
        app: {name}
    spec:
      containers:
      - name: app
        image: {{{{ .Values.werf.image.app }}}}
        ports:
        - containerPort: {{{{ .Values.app.port }}}}
        resources:
{{{{ toYaml .Values.resources | indent 10 }}}}
        env:
        {{{{- range $k, $v := .Values.app }}}}
        - name: {{{{ $k | upper }}}}
          value: {{{{ $v | quote }}}}
        {{{{- end }}}}
""")
    write(f"{d}/.helm/templates/service.yaml", f"apiVersion: v1\nkind: Service\nmetadata:\n  name: {name}\n"
          f"spec:\n  selector:\n    app: {name}\n  ports:\n  - port: {{{{ .Values.app.port }}}}\n")
    write(f"{d}/.helm/templates/ingress.yaml", f"apiVersion: networking.k8s.io/v1\nkind: Ingress\n"
          f"metadata:\n  name: {name}\nspec:\n  rules:\n  - host: {{{{ .Values.app.domain | quote }}}}\n")
    write(f"{d}/.gitlab-ci.yml", "stages: [build, deploy]\nbuild:\n  stage: build\n  script:\n    - werf build\n"
          "deploy:\n  stage: deploy\n  script:\n    - werf converge\n  environment:\n    name: production\n")
    write(f"{d}/{app}", app_code(r, lang, routes))
    write(f"{d}/{deps}", '{"name": "app", "version": "1.0.0"}\n' if deps.endswith(".json") else f"# {deps}\n")
    mark = "#" if lang in ("python", "ruby", "elixir") else "//"
    head = "package main\n\n" if lang == "go" else ""
    write(f"{d}/{test}", head + "\n".join(f"{mark} test {f}" for f in routes) + "\n")
    write(f"{d}/.env", "PORT=8080\nGREETING=\"Hello, world\"\n")


def write(path, text):
    os.makedirs(os.path.dirname(path), exist_ok=True)
    with open(path, "w", encoding="utf-8") as f:
        f.write(text)


def fm(d):
    return "---\n" + "".join(f"{k}: {json.dumps(v, ensure_ascii=False)}\n" for k, v in d.items()) + "---\n\n"


# The peers' page templates render the page, its table of contents and its previous and
# next pages; no sidebar of the guide (guidegen's pages have one). In Zola the only way
# for a page to list its section's pages, get_section, copies every page of the section
# for every page, which made Zola four times slower at 5,000 pages; so neither peer
# gets one, and the comparison errs on the peers' side.
HUGO_LAYOUT = """<!DOCTYPE html>
<html lang="{{ .Site.Language.Lang }}"><head><meta charset="utf-8"><title>{{ .Title }}</title></head>
<body><nav>{{ with .PrevInSection }}<a href="{{ .RelPermalink }}">{{ .Title }}</a>{{ end }} {{ with .NextInSection }}<a href="{{ .RelPermalink }}">{{ .Title }}</a>{{ end }}</nav>
<main><h1>{{ .Title }}</h1>{{ .TableOfContents }}{{ .Content }}</main></body></html>
"""
HUGO_LIST = """<!DOCTYPE html>
<html lang="{{ .Site.Language.Lang }}"><head><meta charset="utf-8"><title>{{ .Title }}</title></head>
<body><main><h1>{{ .Title }}</h1><ul>{{ range .Pages }}<li><a href="{{ .RelPermalink }}">{{ .Title }}</a></li>{{ end }}</ul></main></body></html>
"""
ZOLA_PAGE = """<!DOCTYPE html>
<html lang="{{ lang }}"><head><meta charset="utf-8"><title>{{ page.title }}</title></head>
<body><nav>{% if page.lower %}<a href="{{ page.lower.permalink }}">{{ page.lower.title }}</a>{% endif %} {% if page.higher %}<a href="{{ page.higher.permalink }}">{{ page.higher.title }}</a>{% endif %}</nav>
<main><h1>{{ page.title }}</h1><ul>{% for h in page.toc %}<li><a href="#{{ h.id }}">{{ h.title }}</a></li>{% endfor %}</ul>{{ page.content | safe }}</main></body></html>
"""
ZOLA_SECTION = """<!DOCTYPE html>
<html lang="{{ lang }}"><head><meta charset="utf-8"><title>{{ section.title }}</title></head>
<body><main><h1>{{ section.title }}</h1><ul>{% for p in section.pages %}<li><a href="{{ p.permalink }}">{{ p.title }}</a></li>{% endfor %}{% for s in section.subsections %}<li>{{ s }}</li>{% endfor %}</ul></main></body></html>
"""


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--guides", type=int, default=6)
    ap.add_argument("--chapters", type=int, default=40)
    ap.add_argument("--out", required=True)
    ap.add_argument("--only", default="guidegen,hugo,zola,mdbook",
                    help="comma-separated layouts to write")
    ap.add_argument("--examples", type=int, default=0,
                    help="example steps per guide (guidegen layout only; for `guidegen test`)")
    a = ap.parse_args()
    only = set(a.only.split(","))
    if os.path.exists(a.out):
        shutil.rmtree(a.out)
    stacks = [(f"{s[0]}{i // len(STACKS) + 1}" if i >= len(STACKS) else s[0], s[1], s[2])
              for i, s in ((i, STACKS[i % len(STACKS)]) for i in range(a.guides))]
    langs = ["en", "ru"]
    pages = code_bytes = md_bytes = blocks = 0
    summaries = {l: [] for l in langs}
    for g, stack in enumerate(stacks):
        name, fw, _ = stack
        for lang in langs:
            chapters = chapter_list(a.chapters, lang)
            if "guidegen" in only:
                head = {"title": fw, "framework": name}
                if a.examples:
                    head["examples"] = f"{name}/010_step"
                write(f"{a.out}/guidegen/content/{lang}/{name}/_guide.md",
                      fm(head) + f"{fw}: werf, Kubernetes.\n")
            if "hugo" in only:
                write(f"{a.out}/hugo/content/{lang}/{name}/_index.md", fm({"title": fw}))
            if "zola" in only:
                sfx = "" if lang == "en" else ".ru"
                write(f"{a.out}/zola/content/{name}/_index{sfx}.md",
                      '+++\ntitle = "%s"\nsort_by = "weight"\n+++\n' % fw)
            summaries[lang].append(f"- [{fw}]({name}/README.md)")
            if "mdbook" in only:
                write(f"{a.out}/mdbook-{lang}/src/{name}/README.md", f"# {fw}\n")
            for c, (slug, title) in enumerate(chapters):
                body = chapter(f"{g}/{c}", lang, stack, c, chapters, a.chapters)
                pages += 1
                md_bytes += len(body.encode())
                if lang == "en":
                    blocks += body.count("```") // 2
                    code_bytes += sum(len(p.encode()) for p in body.split("```")[1::2])
                if "guidegen" in only:
                    write(f"{a.out}/guidegen/content/{lang}/{name}/{slug}.md",
                          fm({"title": title, "weight": c + 1}) + body)
                if "hugo" in only:
                    write(f"{a.out}/hugo/content/{lang}/{name}/{slug}.md",
                          fm({"title": title, "weight": c + 1}) + body)
                if "zola" in only:
                    sfx = "" if lang == "en" else ".ru"
                    zbody = body.replace(".md)", f"{sfx}.md)").replace("](0", f"](@/{name}/0")
                    write(f"{a.out}/zola/content/{name}/{slug}{sfx}.md",
                          '+++\ntitle = "%s"\nweight = %d\n+++\n\n' % (title.replace('"', '\\"'), c + 1) + zbody)
                if "mdbook" in only:
                    write(f"{a.out}/mdbook-{lang}/src/{name}/{slug}.md", f"# {title}\n\n{body}")
                    summaries[lang].append(f"  - [{title}]({name}/{slug}.md)")
    if "guidegen" in only:
        for g, stack in enumerate(stacks):
            for step in range(a.examples):
                write_step(f"{a.out}/guidegen/examples/{stack[0]}/{step + 1:02d}0_step",
                           random.Random(f"step/{g}/{step}"), stack, step)
        names = "".join(f'{s[0]} = "{s[1]}"\n' for s in stacks)
        write(f"{a.out}/guidegen/book.toml", f"""[book]
title = "Benchmark guides"
default_language = "en"

[languages.en]
title = "Guides"
base_url = "https://bench.example/en/guides"

[languages.ru]
title = "Руководства"
base_url = "https://bench.example/ru/guides"

[names]
{names}""")
    if "hugo" in only:
        write(f"{a.out}/hugo/config.toml", """baseURL = "https://bench.example/"
title = "Benchmark guides"
defaultContentLanguage = "en"
defaultContentLanguageInSubdir = true
disableKinds = ["taxonomy", "term", "RSS"]
[markup.highlight]
codeFences = true
noClasses = false
[markup.tableOfContents]
startLevel = 2
endLevel = 3
[languages.en]
contentDir = "content/en"
weight = 1
[languages.ru]
contentDir = "content/ru"
weight = 2
""")
        write(f"{a.out}/hugo/layouts/_default/single.html", HUGO_LAYOUT)
        write(f"{a.out}/hugo/layouts/_default/list.html", HUGO_LIST)
    if "zola" in only:
        write(f"{a.out}/zola/zola.toml", """base_url = "https://bench.example"
title = "Benchmark guides"
default_language = "en"
compile_sass = false
build_search_index = false

[markdown.highlighting]
style = "class"
light_theme = "github-light"
dark_theme = "github-dark"

[languages.ru]
title = "Руководства"
""")
        write(f"{a.out}/zola/content/_index.md", '+++\ntitle = "Guides"\n+++\n')
        write(f"{a.out}/zola/content/_index.ru.md", '+++\ntitle = "Руководства"\n+++\n')
        write(f"{a.out}/zola/templates/page.html", ZOLA_PAGE)
        write(f"{a.out}/zola/templates/section.html", ZOLA_SECTION)
        write(f"{a.out}/zola/templates/index.html", ZOLA_SECTION)
    if "mdbook" in only:
        for lang in langs:
            write(f"{a.out}/mdbook-{lang}/book.toml",
                  f'[book]\ntitle = "Benchmark guides ({lang})"\nlanguage = "{lang}"\nsrc = "src"\n')
            write(f"{a.out}/mdbook-{lang}/src/SUMMARY.md",
                  "# Summary\n\n" + "\n".join(summaries[lang]) + "\n")
    manifest = {"guides": a.guides, "chapters": a.chapters, "languages": langs,
                "chapter_pages": pages, "code_blocks_per_lang": blocks,
                "markdown_bytes": md_bytes, "code_bytes_per_lang": code_bytes,
                "layouts": sorted(only)}
    write(f"{a.out}/manifest.json", json.dumps(manifest, indent=2) + "\n")
    print(json.dumps(manifest))


if __name__ == "__main__":
    main()
