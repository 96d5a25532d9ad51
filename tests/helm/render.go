// Render a Helm chart or a werf.yaml the way Helm and werf do (Go text/template with
// the sprig functions, plus Helm's include, tpl, toYaml and required), check that every
// document is well-formed YAML, and print the documents as one JSON array.
//
//	go run tests/helm/render.go chart DIR [VALUES.yaml...]
//	go run tests/helm/render.go werf FILE
//
// It needs only Go and Debian's golang-github-masterminds-sprig-dev and
// golang-gopkg-yaml.v3-dev (GO111MODULE=off GOPATH=/usr/share/gocode); scripts/test
// installs them. Where helm and werf are installed, `helm lint deploy/chart` and
// `werf render --config deploy/werf.yaml` check more (docs/publishing.md).
package main

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"text/template"

	"github.com/Masterminds/sprig"
	"gopkg.in/yaml.v3"
)

func main() {
	if len(os.Args) < 3 {
		fail("usage: render.go chart DIR [VALUES...] | werf FILE")
	}
	var docs []interface{}
	var err error
	switch os.Args[1] {
	case "chart":
		docs, err = chart(os.Args[2], os.Args[3:])
	case "werf":
		docs, err = werf(os.Args[2])
	default:
		err = fmt.Errorf("unknown mode %q", os.Args[1])
	}
	if err != nil {
		fail(err.Error())
	}
	out, err := json.MarshalIndent(docs, "", "  ")
	if err != nil {
		fail(err.Error())
	}
	fmt.Println(string(out))
}

func fail(msg string) {
	fmt.Fprintln(os.Stderr, "render.go:", msg)
	os.Exit(1)
}

func funcs(t **template.Template) template.FuncMap {
	f := sprig.TxtFuncMap()
	f["toYaml"] = func(v interface{}) string {
		b, err := yaml.Marshal(v)
		if err != nil {
			return ""
		}
		return strings.TrimSuffix(string(b), "\n")
	}
	f["required"] = func(msg string, v interface{}) (interface{}, error) {
		if v == nil || v == "" {
			return nil, fmt.Errorf("required: %s", msg)
		}
		return v, nil
	}
	f["include"] = func(name string, data interface{}) (string, error) {
		var buf bytes.Buffer
		err := (*t).ExecuteTemplate(&buf, name, data)
		return buf.String(), err
	}
	f["tpl"] = func(text string, data interface{}) (string, error) {
		c, err := (*t).Clone()
		if err != nil {
			return "", err
		}
		c, err = c.New("tpl").Parse(text)
		if err != nil {
			return "", err
		}
		var buf bytes.Buffer
		err = c.Execute(&buf, data)
		return buf.String(), err
	}
	return f
}

func readYAML(path string) (map[string]interface{}, error) {
	b, err := os.ReadFile(path)
	if err != nil {
		return nil, err
	}
	m := map[string]interface{}{}
	if err := yaml.Unmarshal(b, &m); err != nil {
		return nil, fmt.Errorf("%s: %v", path, err)
	}
	return m, nil
}

// merge b into a, recursively (later values files win, as with helm -f; a null
// removes the key, as Helm does).
func merge(a, b map[string]interface{}) map[string]interface{} {
	for k, v := range b {
		if v == nil {
			delete(a, k)
			continue
		}
		if bm, ok := v.(map[string]interface{}); ok {
			if am, ok := a[k].(map[string]interface{}); ok {
				a[k] = merge(am, bm)
				continue
			}
		}
		a[k] = v
	}
	return a
}

func chart(dir string, extra []string) ([]interface{}, error) {
	meta, err := readYAML(filepath.Join(dir, "Chart.yaml"))
	if err != nil {
		return nil, err
	}
	values, err := readYAML(filepath.Join(dir, "values.yaml"))
	if err != nil {
		return nil, err
	}
	for _, f := range extra {
		v, err := readYAML(f)
		if err != nil {
			return nil, err
		}
		values = merge(values, v)
	}
	var root *template.Template
	root = template.New("chart").Option("missingkey=zero")
	root.Funcs(funcs(&root))
	files, _ := filepath.Glob(filepath.Join(dir, "templates", "*"))
	sort.Strings(files)
	var manifests []string
	for _, f := range files {
		b, err := os.ReadFile(f)
		if err != nil {
			return nil, err
		}
		name := filepath.Base(f)
		if _, err := root.New(name).Parse(string(b)); err != nil {
			return nil, err
		}
		if strings.HasSuffix(name, ".yaml") {
			manifests = append(manifests, name)
		}
	}
	data := map[string]interface{}{
		"Values":       values,
		"Chart":        map[string]interface{}{"Name": meta["name"], "Version": meta["version"]},
		"Release":      map[string]interface{}{"Name": "werf-guides", "Namespace": "werf-guides"},
		"Capabilities": map[string]interface{}{},
	}
	var docs []interface{}
	for _, name := range manifests {
		var buf bytes.Buffer
		if err := root.ExecuteTemplate(&buf, name, data); err != nil {
			return nil, err
		}
		d, err := documents(name, buf.Bytes())
		if err != nil {
			return nil, err
		}
		docs = append(docs, d...)
	}
	return docs, nil
}

func werf(file string) ([]interface{}, error) {
	b, err := os.ReadFile(file)
	if err != nil {
		return nil, err
	}
	var t *template.Template
	t = template.New("werf.yaml")
	t.Funcs(funcs(&t))
	if _, err := t.Parse(string(b)); err != nil {
		return nil, err
	}
	var buf bytes.Buffer
	if err := t.Execute(&buf, map[string]interface{}{"Env": ""}); err != nil {
		return nil, err
	}
	return documents(file, buf.Bytes())
}

// documents decodes every YAML document of text (skipping empty ones).
func documents(name string, text []byte) ([]interface{}, error) {
	dec := yaml.NewDecoder(bytes.NewReader(text))
	var docs []interface{}
	for {
		var d interface{}
		err := dec.Decode(&d)
		if err == io.EOF {
			return docs, nil
		}
		if err != nil {
			return nil, fmt.Errorf("%s: rendered YAML is not valid: %v\n%s", name, err, text)
		}
		if d != nil {
			docs = append(docs, jsonable(d))
		}
	}
}

// jsonable turns YAML maps into JSON-encodable ones.
func jsonable(v interface{}) interface{} {
	switch x := v.(type) {
	case map[string]interface{}:
		for k, e := range x {
			x[k] = jsonable(e)
		}
		return x
	case map[interface{}]interface{}:
		m := map[string]interface{}{}
		for k, e := range x {
			m[fmt.Sprint(k)] = jsonable(e)
		}
		return m
	case []interface{}:
		for i, e := range x {
			x[i] = jsonable(e)
		}
		return x
	}
	return v
}
