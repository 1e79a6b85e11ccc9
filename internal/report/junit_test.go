package report

import (
	"bytes"
	"encoding/xml"
	"strings"
	"testing"
)

// parsedSuites is the JUnit shape as a CI consumer reads it, declared apart
// from the writer's types so that a typo in a tag shows up here.
type parsedSuites struct {
	XMLName  xml.Name `xml:"testsuites"`
	Tests    int      `xml:"tests,attr"`
	Failures int      `xml:"failures,attr"`
	Errors   int      `xml:"errors,attr"`
	Skipped  int      `xml:"skipped,attr"`
	Suites   []struct {
		Name      string  `xml:"name,attr"`
		Tests     int     `xml:"tests,attr"`
		Failures  int     `xml:"failures,attr"`
		Timestamp string  `xml:"timestamp,attr"`
		Time      float64 `xml:"time,attr"`
		Cases     []struct {
			Name      string  `xml:"name,attr"`
			Classname string  `xml:"classname,attr"`
			Time      float64 `xml:"time,attr"`
			Failure   *struct {
				Message string `xml:"message,attr"`
				Text    string `xml:",chardata"`
			} `xml:"failure"`
			Error *struct {
				Message string `xml:"message,attr"`
			} `xml:"error"`
			Skipped *struct {
				Message string `xml:"message,attr"`
			} `xml:"skipped"`
			SystemOut string `xml:"system-out"`
		} `xml:"testcase"`
	} `xml:"testsuite"`
}

func parseJUnit(t *testing.T, r Run) parsedSuites {
	t.Helper()
	var b bytes.Buffer
	if err := WriteJUnit(&b, r); err != nil {
		t.Fatal(err)
	}
	var doc parsedSuites
	if err := xml.Unmarshal(b.Bytes(), &doc); err != nil {
		t.Fatalf("junit.xml does not parse: %v\n%s", err, b.String())
	}
	return doc
}

func TestJUnitOneCasePerScenario(t *testing.T) {
	doc := parseJUnit(t, sampleRun())
	if doc.Tests != 5 || doc.Failures != 1 || doc.Errors != 1 || doc.Skipped != 1 {
		t.Errorf("totals tests=%d failures=%d errors=%d skipped=%d, want 5, 1, 1, 1", doc.Tests, doc.Failures, doc.Errors, doc.Skipped)
	}
	if len(doc.Suites) != 1 || len(doc.Suites[0].Cases) != 5 {
		t.Fatalf("want one suite with 5 cases, got %+v", doc.Suites)
	}
	s := doc.Suites[0]
	if s.Timestamp != "2026-05-04T10:00:00" || s.Time != 127 {
		t.Errorf("suite timestamp %q time %v", s.Timestamp, s.Time)
	}
	want := map[string]string{
		"classroom-fast": "pass", "seed-http-500": "failure", "healthy-never-restarted": "pass",
		"oom-leak": "error", "seed-bare-pod-node-failure": "skipped",
	}
	for _, c := range s.Cases {
		name, _, _ := strings.Cut(c.Name, ":")
		got := "pass"
		switch {
		case c.Failure != nil:
			got = "failure"
		case c.Error != nil:
			got = "error"
		case c.Skipped != nil:
			got = "skipped"
		}
		if got != want[name] || c.Classname != junitClass {
			t.Errorf("case %q: %s (class %q), want %s", c.Name, got, c.Classname, want[name])
		}
	}
}

func TestJUnitFailureCarriesFindingsAndTable(t *testing.T) {
	c := parseJUnit(t, sampleRun()).Suites[0].Cases[1]
	if c.Failure == nil {
		t.Fatalf("seed-http-500 has no failure")
	}
	if c.Failure.Message != "1 of 2 expectations not met; 1 of 13 timeline lines not as predicted" {
		t.Errorf("failure message %q", c.Failure.Message)
	}
	for _, want := range []string{
		`FAIL previous logs contain "GET / 500": the last line was "<html><script>alert(1)</script> & more"`,
		"Predicted vs observed:", "restart 2", "11 s late",
	} {
		if !strings.Contains(c.Failure.Text, want) {
			t.Errorf("failure text lacks %q:\n%s", want, c.Failure.Text)
		}
	}
	if strings.Contains(c.Failure.Text, "PASS") {
		t.Errorf("failure text lists a passing finding:\n%s", c.Failure.Text)
	}
}

// A terminal escape code in an event message is not allowed in XML 1.0; a CI
// parser would reject the whole file.
func TestJUnitSurvivesCharactersXMLForbids(t *testing.T) {
	r := sampleRun()
	r.Scenarios[1].Findings[1].Why = "log: \x1b[31mred\x1b[0m \x00"
	c := parseJUnit(t, r).Suites[0].Cases[1]
	if !strings.Contains(c.Failure.Text, "\uFFFD[31mred") {
		t.Errorf("forbidden characters not replaced: %q", c.Failure.Text)
	}
}
