package scenarios

import (
	"embed"
	"errors"
	"fmt"
	"os"
	"path"
	"reflect"
	"slices"
	"strings"

	"sigs.k8s.io/yaml"
)

//go:embed catalog/*.yaml
var catalogFS embed.FS

// catalogDir is the catalog's path in the repository, used in messages.
const catalogDir = "scenarios/catalog"

// MaxFileSize bounds what Parse reads: a scenario is a page of YAML.
const MaxFileSize = 256 << 10

// All loads, defaults and validates every scenario of the catalog, sorted by
// name. Each call returns fresh values the caller may change. A broken file
// makes it fail, with every problem of every file listed.
func All() ([]*Scenario, error) {
	entries, err := catalogFS.ReadDir("catalog")
	if err != nil {
		return nil, fmt.Errorf("reading the embedded catalog: %w", err)
	}
	var out []*Scenario
	var errs []error
	for _, e := range entries {
		s, err := loadEmbedded(e.Name())
		if err != nil {
			errs = append(errs, err)
			continue
		}
		out = append(out, s)
	}
	if err := errors.Join(errs...); err != nil {
		return nil, err
	}
	slices.SortFunc(out, func(a, b *Scenario) int { return strings.Compare(a.Name, b.Name) })
	return out, nil
}

// Names lists the catalog's scenario names, sorted, without parsing them.
func Names() []string {
	entries, _ := catalogFS.ReadDir("catalog") // embedded: cannot fail
	var names []string
	for _, e := range entries {
		names = append(names, strings.TrimSuffix(e.Name(), ".yaml"))
	}
	return names
}

// Get loads one scenario of the catalog by name. An unknown name is an error
// that lists the closest names.
func Get(name string) (*Scenario, error) {
	if !slices.Contains(Names(), name) {
		return nil, fmt.Errorf("no scenario %q; %s", name, suggest(name, Names()))
	}
	return loadEmbedded(name + ".yaml")
}

func loadEmbedded(file string) (*Scenario, error) {
	data, err := catalogFS.ReadFile("catalog/" + file)
	if err != nil {
		return nil, fmt.Errorf("reading %s/%s: %w", catalogDir, file, err)
	}
	return Parse(catalogDir+"/"+file, data)
}

// LoadFile reads a user's scenario file; its name must match the file name.
func LoadFile(file string) (*Scenario, error) {
	st, err := os.Stat(file)
	if err != nil {
		return nil, fmt.Errorf("loading scenario: %w", err)
	}
	if st.Size() > MaxFileSize {
		return nil, fmt.Errorf("%s: %d bytes is more than a scenario needs (max %d)", file, st.Size(), MaxFileSize)
	}
	data, err := os.ReadFile(file)
	if err != nil {
		return nil, fmt.Errorf("loading scenario: %w", err)
	}
	return Parse(file, data)
}

// Parse decodes one scenario strictly (unknown or duplicate fields are
// errors), applies SetDefaults and validates it. file names the source in
// messages, and the scenario's name must equal its base name without
// ".yaml"; pass "" (or "-" for stdin) to skip that check.
func Parse(file string, data []byte) (*Scenario, error) {
	label := file
	if label == "" {
		label = "scenario"
	}
	if len(data) > MaxFileSize {
		return nil, fmt.Errorf("%s: %d bytes is more than a scenario needs (max %d)", label, len(data), MaxFileSize)
	}
	s := &Scenario{}
	err := yaml.UnmarshalStrict(data, s)
	if unknown := unknownFields(data, reflect.TypeFor[Scenario]()); len(unknown) > 0 {
		return nil, unknownFieldsError(label, unknown)
	}
	if err != nil {
		return nil, fmt.Errorf("%s: %w", label, err)
	}
	s.File = file
	s.Teach.ZH = unfoldCJK(s.Teach.ZH)
	s.SetDefaults()
	if err := s.Validate(); err != nil {
		return nil, err
	}
	return s, nil
}

// fileStem is the scenario name a file path implies, or "" for none.
func fileStem(file string) string {
	if file == "" || file == "-" {
		return ""
	}
	base := path.Base(strings.ReplaceAll(file, `\`, "/"))
	return strings.TrimSuffix(strings.TrimSuffix(base, ".yaml"), ".yml")
}

// unknownFieldsError reports every unknown field as a Problem.
func unknownFieldsError(file string, unknown []fieldProblem) error {
	ps := NewProblems(file)
	for _, u := range unknown {
		ps.Add(u.path, "check the spelling and case; known here: "+strings.Join(u.known, ", "), "unknown field")
	}
	return ps.Err()
}
