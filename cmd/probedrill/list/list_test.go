package list_test

import (
	"bytes"
	"encoding/json"
	"reflect"
	"strings"
	"testing"

	"sigs.k8s.io/kind/pkg/cmd"
	"sigs.k8s.io/yaml"

	"github.com/probedrill/probedrill/cmd/probedrill/app"
	"github.com/probedrill/probedrill/internal/cli"
	"github.com/probedrill/probedrill/scenarios"
)

func run(args ...string) (stdout, stderr string, err error) {
	var out, errOut, log bytes.Buffer
	err = app.Run(cli.NewLogger(&log, 0), cmd.IOStreams{Out: &out, ErrOut: &errOut}, args)
	return out.String(), log.String() + errOut.String(), err
}

func TestListsEveryScenarioOnce(t *testing.T) {
	out, _, err := run("list")
	if err != nil {
		t.Fatal(err)
	}
	lines := strings.Split(strings.TrimSpace(out), "\n")
	if names := scenarios.Names(); len(lines) != len(names)+1 {
		t.Fatalf("%d lines, want a header and %d scenarios:\n%s", len(lines), len(names), out)
	}
	if !strings.HasPrefix(lines[0], "NAME") || !strings.Contains(out, "classroom-fast") {
		t.Errorf("unexpected list:\n%s", out)
	}
}

func TestLabelFilterNeedsEveryLabel(t *testing.T) {
	out, _, err := run("list", "-o", "name", "--label", "seed,backoff")
	if err != nil {
		t.Fatal(err)
	}
	for _, name := range strings.Fields(out) {
		s, err := scenarios.Get(name)
		if err != nil {
			t.Fatal(err)
		}
		if !strings.Contains(","+strings.Join(s.Labels, ",")+",", ",seed,") || !strings.Contains(strings.Join(s.Labels, ","), "backoff") {
			t.Errorf("%s lacks a label: %v", name, s.Labels)
		}
	}
	if !strings.Contains(out, "seed-crash-loop") || strings.Contains(out, "classroom-fast") {
		t.Errorf("seed,backoff should keep seed-crash-loop and drop classroom-fast:\n%s", out)
	}
}

func TestChineseShowsTheSeedSections(t *testing.T) {
	out, _, err := run("list", "--lang", "zh", "--label", "seed")
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(out, "原文章节") || !strings.Contains(out, "3.使用存活探针") {
		t.Errorf("zh list lacks the seed sections:\n%s", out)
	}
}

func TestBadInputExitsWith2(t *testing.T) {
	for args, want := range map[string]string{
		"list --label sede":  `--label "sede" is not a label; use one of seed, liveness`,
		"list -o csv":        `-o "csv": use wide, name, json or yaml`,
		"list --lang de":     `--lang "de": use en or zh`,
		"list classroom":     `unknown command "classroom" for "probedrill list"`,
		"list --no-such-one": "unknown flag: --no-such-one",
	} {
		_, stderr, err := run(strings.Fields(args)...)
		if err == nil || app.ExitCode(err) != app.ExitUsage {
			t.Errorf("%s: err %v, want exit code 2", args, err)
			continue
		}
		if !strings.Contains(stderr, "ERROR: "+want) || strings.Count(stderr, "ERROR") != 1 {
			t.Errorf("%s: stderr must say %q once:\n%s", args, want, stderr)
		}
	}
}

// -o json prints every scenario in full, and each reads back through the
// scenario parser as the very scenario the catalog holds: machines get
// the catalog's own format, defaults filled in.
func TestJSONRoundTripsTheCatalog(t *testing.T) {
	out, _, err := run("list", "-o", "json")
	if err != nil {
		t.Fatal(err)
	}
	var list struct {
		Scenarios []json.RawMessage `json:"scenarios"`
	}
	if err := json.Unmarshal([]byte(out), &list); err != nil {
		t.Fatal(err)
	}
	if len(list.Scenarios) != len(scenarios.Names()) {
		t.Fatalf("%d scenarios, want %d", len(list.Scenarios), len(scenarios.Names()))
	}
	for _, raw := range list.Scenarios {
		got, err := scenarios.Parse("", raw)
		if err != nil {
			t.Errorf("a listed scenario does not parse: %v", err)
			continue
		}
		want, err := scenarios.Get(got.Name)
		if err != nil {
			t.Fatal(err)
		}
		got.File = want.File
		if !reflect.DeepEqual(got, want) {
			t.Errorf("%s reads back different from the catalog's", got.Name)
		}
	}
}

func TestYAMLIsTheSameList(t *testing.T) {
	y, _, err := run("list", "-o", "yaml", "--label", "exec")
	if err != nil {
		t.Fatal(err)
	}
	j, _, err := run("list", "-o", "json", "--label", "exec")
	if err != nil {
		t.Fatal(err)
	}
	fromYAML, err := yaml.YAMLToJSON([]byte(y))
	if err != nil {
		t.Fatal(err)
	}
	var a, b any
	if json.Unmarshal(fromYAML, &a) != nil || json.Unmarshal([]byte(j), &b) != nil || !reflect.DeepEqual(a, b) {
		t.Errorf("-o yaml and -o json differ:\n%s\n%s", y, j)
	}
}
