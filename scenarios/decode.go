package scenarios

import (
	"encoding"
	"encoding/json"
	"fmt"
	"maps"
	"reflect"
	"slices"
	"strings"

	"sigs.k8s.io/yaml"
)

// encoding/json reports an unknown field by its bare name ("period"), which
// does not say where it is, and matches names case-insensitively
// ("PeriodSeconds" passes). unknownFields walks the document against the Go
// type and returns every unknown or mis-cased field with its full path, so
// that Parse can say `pod.livenessProbe.period: unknown field; known here:
// ...`, as strictly as the API server's own decoder (sigs.k8s.io/json).

// fieldProblem is one unknown field and the names that were allowed there.
type fieldProblem struct {
	path  string
	known []string
}

// unknownFields lists the unknown fields of a YAML document for type t.
// It returns nil when the document cannot be read as generic YAML.
func unknownFields(data []byte, t reflect.Type) []fieldProblem {
	j, err := yaml.YAMLToJSON(data)
	if err != nil {
		return nil
	}
	var doc any
	if err := json.Unmarshal(j, &doc); err != nil {
		return nil
	}
	var out []fieldProblem
	walk(doc, t, "", &out)
	return out
}

var textUnmarshaler = reflect.TypeFor[encoding.TextUnmarshaler]()
var jsonUnmarshaler = reflect.TypeFor[json.Unmarshaler]()

// walk compares one value of the document with type t.
func walk(v any, t reflect.Type, path string, out *[]fieldProblem) {
	for t.Kind() == reflect.Pointer {
		t = t.Elem()
	}
	if reflect.PointerTo(t).Implements(jsonUnmarshaler) || reflect.PointerTo(t).Implements(textUnmarshaler) {
		return // decodes itself (Duration, Quantity, IntOrString)
	}
	switch x := v.(type) {
	case map[string]any:
		walkMap(x, t, path, out)
	case []any:
		if t.Kind() == reflect.Slice || t.Kind() == reflect.Array {
			for i, e := range x {
				walk(e, t.Elem(), fmt.Sprintf("%s[%d]", path, i), out)
			}
		}
	}
}

func walkMap(m map[string]any, t reflect.Type, path string, out *[]fieldProblem) {
	switch t.Kind() {
	case reflect.Map:
		for _, k := range slices.Sorted(maps.Keys(m)) {
			walk(m[k], t.Elem(), join(path, k), out)
		}
		return
	case reflect.Struct:
	default:
		return
	}
	fields := jsonFields(t)
	for _, k := range slices.Sorted(maps.Keys(m)) {
		ft, ok := fields[k]
		if !ok {
			*out = append(*out, fieldProblem{path: join(path, k), known: slices.Sorted(maps.Keys(fields))})
			continue
		}
		walk(m[k], ft, join(path, k), out)
	}
}

// jsonFields maps a struct's JSON names to field types, inlining embedded
// structs and `json:",inline"` as encoding/json and the Kubernetes API do.
func jsonFields(t reflect.Type) map[string]reflect.Type {
	fields := map[string]reflect.Type{}
	for i := range t.NumField() {
		f := t.Field(i)
		name, opts, _ := strings.Cut(f.Tag.Get("json"), ",")
		if name == "-" || (!f.IsExported() && !f.Anonymous) {
			continue
		}
		if name == "" && (f.Anonymous || strings.Contains(opts, "inline")) && f.Type.Kind() == reflect.Struct {
			maps.Copy(fields, jsonFields(f.Type))
			continue
		}
		if name == "" {
			name = f.Name
		}
		fields[name] = f.Type
	}
	return fields
}

func join(path, k string) string {
	if path == "" {
		return k
	}
	return path + "." + k
}
