package report

import (
	"encoding/xml"
	"fmt"
	"io"
	"maps"
	"slices"
	"strings"
	"time"
)

// The JUnit XML shape CI systems agree on (Jenkins' junit plugin, GitLab,
// GitHub test reporters): testsuites > testsuite > testcase, with failure,
// error and skipped children. Ginkgo's reporter writes the same shape.
type junitSuites struct {
	XMLName  xml.Name     `xml:"testsuites"`
	Name     string       `xml:"name,attr"`
	Tests    int          `xml:"tests,attr"`
	Failures int          `xml:"failures,attr"`
	Errors   int          `xml:"errors,attr"`
	Skipped  int          `xml:"skipped,attr"`
	Time     string       `xml:"time,attr"`
	Suites   []junitSuite `xml:"testsuite"`
}

type junitSuite struct {
	Name       string          `xml:"name,attr"`
	Tests      int             `xml:"tests,attr"`
	Failures   int             `xml:"failures,attr"`
	Errors     int             `xml:"errors,attr"`
	Skipped    int             `xml:"skipped,attr"`
	Time       string          `xml:"time,attr"`
	Timestamp  string          `xml:"timestamp,attr"`
	Properties []junitProperty `xml:"properties>property"`
	Cases      []junitCase     `xml:"testcase"`
}

type junitProperty struct {
	Name  string `xml:"name,attr"`
	Value string `xml:"value,attr"`
}

type junitCase struct {
	Name      string        `xml:"name,attr"`
	Classname string        `xml:"classname,attr"`
	Time      string        `xml:"time,attr"`
	Failure   *junitProblem `xml:"failure"`
	Error     *junitProblem `xml:"error"`
	Skipped   *junitProblem `xml:"skipped"`
	SystemOut string        `xml:"system-out,omitempty"`
}

type junitProblem struct {
	Message string `xml:"message,attr"`
	Type    string `xml:"type,attr,omitempty"`
	Text    string `xml:",chardata"`
}

// junitClass groups probedrill's test cases in CI views.
const junitClass = "probedrill.run"

// WriteJUnit writes the run as JUnit XML: one test case per scenario, a
// failure carrying the failing findings and the comparison table, an error
// for a drill that could not run to its end, and skipped cases for the
// scenarios left out. encoding/xml escapes the text and replaces characters
// XML forbids (a stray escape code in a message), so CI parsers accept it.
func WriteJUnit(w io.Writer, r Run) error {
	s := junitSuite{
		Name: "probedrill run", Time: seconds(r.Duration),
		Timestamp: r.Started.UTC().Format("2006-01-02T15:04:05"), Properties: properties(r.Cluster),
	}
	for _, sc := range r.Scenarios {
		c := junitScenario(sc)
		s.Failures += btoi(c.Failure != nil)
		s.Errors += btoi(c.Error != nil)
		s.Cases = append(s.Cases, c)
	}
	for _, sk := range r.Skipped {
		s.Cases = append(s.Cases, junitCase{Name: caseName(sk.Name, sk.Title), Classname: junitClass, Time: "0",
			Skipped: &junitProblem{Message: sk.Why}})
	}
	s.Tests, s.Skipped = len(s.Cases), len(r.Skipped)
	return encodeJUnit(w, s)
}

// Case is one test case of WriteJUnitSuite: a failure or a skip when its
// message is set; Text is the failure's text, else the case's output.
type Case struct {
	Name             string
	Time             time.Duration
	Failure, Skipped string
	Text             string
}

// WriteJUnitSuite writes one suite of cases, for reports other than a
// run's (check's), in the same JUnit shape as WriteJUnit.
func WriteJUnitSuite(w io.Writer, name, class string, started time.Time, took time.Duration, props map[string]string, cases []Case) error {
	s := junitSuite{Name: name, Time: seconds(took), Timestamp: started.UTC().Format("2006-01-02T15:04:05"), Tests: len(cases)}
	for _, k := range slices.Sorted(maps.Keys(props)) {
		s.Properties = append(s.Properties, junitProperty{k, props[k]})
	}
	for _, c := range cases {
		jc := junitCase{Name: c.Name, Classname: class, Time: seconds(c.Time)}
		switch {
		case c.Failure != "":
			jc.Failure, s.Failures = &junitProblem{Message: c.Failure, Type: "failure", Text: c.Text}, s.Failures+1
		case c.Skipped != "":
			jc.Skipped, s.Skipped = &junitProblem{Message: c.Skipped}, s.Skipped+1
		default:
			jc.SystemOut = c.Text
		}
		s.Cases = append(s.Cases, jc)
	}
	return encodeJUnit(w, s)
}

// encodeJUnit writes the XML header and a document of the one suite s.
func encodeJUnit(w io.Writer, s junitSuite) error {
	doc := junitSuites{Name: s.Name, Tests: s.Tests, Failures: s.Failures, Errors: s.Errors,
		Skipped: s.Skipped, Time: s.Time, Suites: []junitSuite{s}}
	if _, err := io.WriteString(w, xml.Header); err != nil {
		return err
	}
	enc := xml.NewEncoder(w)
	enc.Indent("", "  ")
	if err := enc.Encode(doc); err != nil {
		return err
	}
	_, err := io.WriteString(w, "\n")
	return err
}

func junitScenario(s ScenarioResult) junitCase {
	c := junitCase{Name: caseName(s.Name, s.Title), Classname: junitClass, Time: seconds(s.Duration),
		SystemOut: fmt.Sprintf("namespace %s, watched %s after pod creation\n\n%s", s.Namespace, s.Watched.Round(time.Second), s.Comparison)}
	switch {
	case s.Error != "":
		c.Error = &junitProblem{Message: s.Error, Type: "error", Text: failureText(s)}
	case !s.Passed:
		c.Failure = &junitProblem{Message: failureMessage(s), Type: "mismatch", Text: failureText(s)}
	}
	return c
}

// caseName is the scenario name first, so CI lists sort and search by it.
func caseName(name, title string) string { return name + ": " + title }

// failureMessage is the one line a CI summary shows.
func failureMessage(s ScenarioResult) string {
	var parts []string
	if n := len(s.Failed()); n > 0 {
		parts = append(parts, fmt.Sprintf("%d of %d expectations not met", n, len(s.Findings)))
	}
	if n := s.Comparison.Mismatched; n > 0 {
		parts = append(parts, fmt.Sprintf("%d of %d timeline lines not as predicted", n, len(s.Comparison.Lines)))
	}
	return strings.Join(parts, "; ")
}

// failureText is the failing findings, then the whole comparison table.
func failureText(s ScenarioResult) string {
	var b strings.Builder
	for _, f := range s.Failed() {
		fmt.Fprintln(&b, f)
	}
	fmt.Fprintf(&b, "\nPredicted vs observed:\n%s", s.Comparison)
	return b.String()
}

func properties(c Cluster) []junitProperty {
	return []junitProperty{
		{"cluster", c.Name}, {"kubernetesVersion", c.KubernetesVersion}, {"profile", c.Profile},
		{"maxContainerRestartPeriod", c.MaxContainerRestartPeriod.String()},
	}
}

// seconds is JUnit's time attribute: seconds with a decimal point.
func seconds(d time.Duration) string { return fmt.Sprintf("%.3f", d.Seconds()) }

func btoi(b bool) int {
	if b {
		return 1
	}
	return 0
}
