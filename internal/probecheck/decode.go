package probecheck

import (
	"bufio"
	"bytes"
	"errors"
	"fmt"
	"io"
	"strings"

	sjson "sigs.k8s.io/json"
	"sigs.k8s.io/yaml"

	utilyaml "k8s.io/apimachinery/pkg/util/yaml"

	"github.com/probedrill/probedrill/scenarios"
)

// document is one YAML document of the user's file, converted to JSON.
type document struct {
	file  string // the file it came from, as the user named it
	index int    // 0-based position in the file, for messages
	json  []byte // the document as JSON
	kind  string // TypeMeta kind, "" for a bare probe
	api   string // TypeMeta apiVersion
	keys  map[string]bool
}

// documents splits a file into its non-empty YAML documents. Duplicate keys
// are errors here, as the API server's strict decoding makes them.
func documents(file string, data []byte) ([]document, error) {
	r := utilyaml.NewYAMLReader(bufio.NewReader(bytes.NewReader(data)))
	var out []document
	for i := 0; ; i++ {
		raw, err := r.Read()
		if errors.Is(err, io.EOF) {
			return out, nil
		}
		if err != nil {
			return nil, problem(file, "", "cannot be read as YAML ("+err.Error()+")", "fix the YAML syntax")
		}
		doc, empty, err := readDocument(file, i, raw)
		if err != nil {
			return nil, err
		}
		if !empty {
			out = append(out, doc)
		}
	}
}

func readDocument(file string, i int, raw []byte) (document, bool, error) {
	j, err := yaml.YAMLToJSONStrict(raw)
	if err != nil {
		return document{}, false, problem(file, docField(i), "is not valid YAML ("+trimYAMLError(err)+")",
			"fix the YAML syntax; keys must not repeat")
	}
	if t := bytes.TrimSpace(j); len(t) == 0 || bytes.Equal(t, []byte("null")) {
		return document{}, true, nil
	}
	var head map[string]any
	if err := sjson.UnmarshalCaseSensitivePreserveInts(j, &head); err != nil {
		return document{}, false, problem(file, docField(i), "is not a YAML map", "give a Pod, a Deployment or a livenessProbe")
	}
	doc := document{file: file, index: i, json: j, keys: map[string]bool{}}
	for k := range head {
		doc.keys[k] = true
	}
	doc.kind, _ = head["kind"].(string)
	doc.api, _ = head["apiVersion"].(string)
	return doc, false, nil
}

// docField names a document in messages when the file holds several.
func docField(i int) string { return fmt.Sprintf("document %d", i+1) }

// trimYAMLError drops sigs.k8s.io/yaml's wrapping, keeping the parser's words.
func trimYAMLError(err error) string {
	s := err.Error()
	if i := strings.LastIndex(s, "yaml: "); i >= 0 {
		return s[i:]
	}
	return s
}

// decodeStrict decodes JSON into v as the API server does: case-sensitive,
// unknown and duplicate fields are errors. Each strict error becomes a
// Problem with the field's full path, e.g.
// spec.template.spec.containers[0].livenessProbe.perodSeconds; fix words
// what to do about an unknown field at a path.
func decodeStrict(file string, j []byte, v any, fix func(field string) string) error {
	strict, err := sjson.UnmarshalStrict(j, v)
	if err != nil {
		return problem(file, "", "cannot be decoded ("+strings.TrimPrefix(err.Error(), "json: ")+")",
			"check each value's type; "+fix(""))
	}
	if len(strict) == 0 {
		return nil
	}
	var ps []scenarios.Problem
	for _, e := range strict {
		ps = append(ps, strictProblem(file, e, fix))
	}
	return &scenarios.InvalidError{Problems: ps}
}

// strictProblem turns one of sigs.k8s.io/json's strict errors into a Problem.
func strictProblem(file string, e error, fix func(string) string) scenarios.Problem {
	p := scenarios.Problem{File: file, What: e.Error()}
	var fe sjson.FieldError
	if !errors.As(e, &fe) {
		return p
	}
	p.Field = fe.FieldPath()
	p.What, p.Fix = "unknown field", fix(p.Field)
	if strings.HasPrefix(e.Error(), "duplicate") {
		p.What, p.Fix = "duplicate field", "keep one of them"
	}
	return p
}

// explain is a fix that sends the user to `kubectl explain` for the object
// that holds the field: root is the resource ("deployment"), or the path of
// the object a bare document is ("pod.spec.containers.livenessProbe").
func explain(root string) func(string) string {
	return func(field string) string {
		parent := ""
		if i := strings.LastIndex(field, "."); i >= 0 {
			parent = field[:i]
		}
		return "check the spelling and case; `kubectl explain " + joinField(root, stripIndexes(parent)) + "` lists the fields"
	}
}

// stripIndexes turns containers[0].livenessProbe into containers.livenessProbe.
func stripIndexes(path string) string {
	var b strings.Builder
	depth := 0
	for _, r := range path {
		switch {
		case r == '[':
			depth++
		case r == ']':
			depth--
		case depth == 0:
			b.WriteRune(r)
		}
	}
	return b.String()
}

// problem is a one-problem InvalidError.
func problem(file, field, what, fix string) error {
	return &scenarios.InvalidError{Problems: []scenarios.Problem{{File: file, Field: field, What: what, Fix: fix}}}
}

// joinField joins JSON paths, either of which may be empty.
func joinField(a, b string) string {
	switch {
	case a == "":
		return b
	case b == "":
		return a
	case strings.HasPrefix(b, "["):
		return a + b
	}
	return a + "." + b
}
