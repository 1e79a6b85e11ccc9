package cli

import (
	"encoding/json"
	"io"

	"sigs.k8s.io/yaml"
)

// The machine-readable -o formats of list and predict, as kubectl names
// them.
const (
	FormatJSON = "json"
	FormatYAML = "yaml"
)

// WriteData writes v as indented JSON, or as YAML for FormatYAML (through
// its JSON form, so both carry the same field names, as in kubectl).
func WriteData(w io.Writer, format string, v any) error {
	data, err := json.MarshalIndent(v, "", "  ")
	if err != nil {
		return err
	}
	if format == FormatYAML {
		if data, err = yaml.JSONToYAML(data); err != nil {
			return err
		}
	} else {
		data = append(data, '\n')
	}
	_, err = w.Write(data)
	return err
}
