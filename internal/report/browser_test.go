package report

import (
	"context"
	"image"
	"image/color"
	"image/png"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// The HTML report is checked in a real browser: Debian's headless Chromium
// (package "chromium") loads the file, and the test reads the DOM it built
// and the pixels it painted.
const (
	chromiumBinary  = "chromium"
	chromiumPackage = "chromium"
	// browserTimeout bounds one Chromium run; a cold start on a busy
	// two-core machine takes 5 to 20 seconds.
	browserTimeout = 2 * time.Minute
	// screenshotEnv keeps the screenshot at this path for a person to look at.
	screenshotEnv = "PROBEDRILL_SCREENSHOT"
)

// chromium returns the browser's path. Without it the test fails in CI,
// where a missing component must not pass unnoticed, and skips elsewhere.
func chromium(t *testing.T) string {
	t.Helper()
	path, err := exec.LookPath(chromiumBinary)
	if err == nil {
		return path
	}
	msg := "headless Chromium is needed to test the HTML report: install Debian's " + chromiumPackage +
		" package (apt-get install -y " + chromiumPackage + ")"
	if os.Getenv("CI") != "" {
		t.Fatal(msg)
	}
	t.Skip(msg)
	return ""
}

// headless runs Chromium on a local file with nothing else: no network
// features, no first-run, a throwaway profile. --no-sandbox because tests
// run as root in containers, where Chromium's sandbox cannot start.
func headless(t *testing.T, file string, args ...string) string {
	t.Helper()
	bin := chromium(t)
	ctx, cancel := context.WithTimeout(context.Background(), browserTimeout)
	defer cancel()
	base := []string{"--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
		"--disable-background-networking", "--disable-component-update", "--disable-sync",
		"--user-data-dir=" + t.TempDir()}
	cmd := exec.CommandContext(ctx, bin, append(append(base, args...), "file://"+file)...)
	var stderr strings.Builder
	cmd.Stderr = &stderr
	out, err := cmd.Output()
	if err != nil {
		t.Fatalf("chromium %s: %v\n%s", strings.Join(args, " "), err, stderr.String())
	}
	return string(out)
}

func writePage(t *testing.T, r Run) string {
	t.Helper()
	path := filepath.Join(t.TempDir(), "report.html")
	if err := WriteFile(path, r, WriteHTML); err != nil {
		t.Fatal(err)
	}
	return path
}

func TestHTMLInChromiumHasEveryChartMarkAndFinding(t *testing.T) {
	r := sampleRun()
	dom := headless(t, writePage(t, r), "--dump-dom")
	charts := svgs(dom)
	if len(charts) != len(r.Scenarios) {
		t.Fatalf("the browser built %d timeline SVGs for %d scenarios", len(charts), len(r.Scenarios))
	}
	for _, s := range r.Scenarios {
		if got := strings.Count(charts[s.Name], `class="obs-mark`); got != len(s.Observed.Entries) {
			t.Errorf("%s: %d observed marks in the DOM, want %d", s.Name, got, len(s.Observed.Entries))
		}
		for _, f := range s.Findings {
			if !strings.Contains(dom, domText(f.Expect)) || !strings.Contains(dom, domText(f.Why)) {
				t.Errorf("%s: finding %q missing from the DOM", s.Name, f)
			}
		}
	}
	if strings.Contains(dom, "<script>alert(1)") {
		t.Error("the browser found a script element: the record was not escaped")
	}
}

// domText is text as a browser serialises it: only &, < and > escaped.
func domText(s string) string {
	return strings.NewReplacer("&", "&amp;", "<", "&lt;", ">", "&gt;").Replace(s)
}

// The DOM says what is on the page; the screenshot says it was painted:
// a page of the expected size, not blank, with the pass and fail colours.
func TestHTMLInChromiumPaints(t *testing.T) {
	shot := os.Getenv(screenshotEnv)
	if shot == "" {
		shot = filepath.Join(t.TempDir(), "report.png")
	}
	headless(t, writePage(t, sampleRun()), "--hide-scrollbars", "--window-size=1280,2400", "--screenshot="+shot)
	img := readPNG(t, shot)
	if b := img.Bounds(); b.Dx() != 1280 || b.Dy() != 2400 {
		t.Errorf("screenshot is %v, want 1280×2400", b)
	}
	colours := map[color.RGBA]int{}
	for y := img.Bounds().Min.Y; y < img.Bounds().Max.Y; y += 2 {
		for x := img.Bounds().Min.X; x < img.Bounds().Max.X; x += 2 {
			colours[rgba(img.At(x, y))]++
		}
	}
	if len(colours) < 50 {
		t.Errorf("the screenshot has %d colours: the page did not render", len(colours))
	}
	for name, c := range map[string]color.RGBA{"pass green": {0x1a, 0x7f, 0x37, 0xff}, "fail red": {0xc6, 0x28, 0x28, 0xff}} {
		if colours[c] == 0 {
			t.Errorf("no %s pixel in the screenshot", name)
		}
	}
}

func readPNG(t *testing.T, path string) image.Image {
	t.Helper()
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	img, err := png.Decode(f)
	if err != nil {
		t.Fatalf("screenshot %s: %v", path, err)
	}
	return img
}

func rgba(c color.Color) color.RGBA {
	r, g, b, a := c.RGBA()
	return color.RGBA{uint8(r >> 8), uint8(g >> 8), uint8(b >> 8), uint8(a >> 8)}
}
