package report

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
)

// MaxFileSize bounds what ReadFile reads: a run of the whole catalog with
// every probe failure recorded is well under a megabyte.
const MaxFileSize = 64 << 20

// WriteJSON writes the run as indented JSON, stamped with SchemaVersion.
func WriteJSON(w io.Writer, r Run) error {
	r.Version = SchemaVersion
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	// Keep "<", ">" and "&" readable in the file: it is for people and tools,
	// never pasted into HTML (the HTML renderer escapes on its own).
	enc.SetEscapeHTML(false)
	return enc.Encode(r)
}

// ReadJSON decodes a run written by WriteJSON. Decoding is strict: an
// unknown field or another schema version is an error.
func ReadJSON(rd io.Reader) (*Run, error) {
	data, err := io.ReadAll(io.LimitReader(rd, MaxFileSize+1))
	if err != nil {
		return nil, err
	}
	if len(data) > MaxFileSize {
		return nil, fmt.Errorf("larger than %d MiB: not a probedrill run record", MaxFileSize>>20)
	}
	if err := checkVersion(data); err != nil {
		return nil, err
	}
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.DisallowUnknownFields()
	var r Run
	if err := dec.Decode(&r); err != nil {
		return nil, fmt.Errorf("not a probedrill run record: %w", err)
	}
	return &r, nil
}

// checkVersion reads only the version first, so that a record of another
// version says so instead of failing on its first unknown field.
func checkVersion(data []byte) error {
	var v struct {
		Version *int `json:"version"`
	}
	if err := json.Unmarshal(data, &v); err != nil {
		return fmt.Errorf("not a probedrill run record: %w", err)
	}
	switch {
	case v.Version == nil:
		return errors.New("not a probedrill run record: it has no \"version\" field")
	case *v.Version != SchemaVersion:
		return fmt.Errorf("run record version %d: this probedrill reads version %d; use the probedrill that wrote it", *v.Version, SchemaVersion)
	}
	return nil
}

// ReadFile reads a run.json file; errors name the file.
func ReadFile(path string) (*Run, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	r, err := ReadJSON(f)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	return r, nil
}

// WriteFile writes the run to path with render (WriteJSON, WriteJUnit,
// WriteHTML), replacing the file only once it is complete.
func WriteFile(path string, r Run, render func(io.Writer, Run) error) error {
	var b bytes.Buffer
	if err := render(&b, r); err != nil {
		return fmt.Errorf("render %s: %w", path, err)
	}
	tmp := path + ".tmp"
	if err := os.WriteFile(tmp, b.Bytes(), 0o644); err != nil {
		return err
	}
	return os.Rename(tmp, path)
}
