package app

import (
	"bytes"
	"errors"
	"strings"
	"testing"

	"github.com/probedrill/probedrill/faultyapp/internal/config"
)

func TestExitCodeMapping(t *testing.T) {
	cases := []struct {
		name         string
		err          error
		code         int
		stdout, errs string
	}{
		{"ok", nil, 0, "", ""},
		{"help", config.ErrHelp, 0, "Usage:", ""},
		{"usage", &config.UsageError{Err: errors.Join(errors.New("a"), errors.New("b"))}, 2, "", "faultyapp: a\nfaultyapp: b\n"},
		{"exit", &Exit{Code: 143}, 143, "", ""},
		{"exit with message", &Exit{Code: 1, Msg: "check: /x is missing"}, 1, "", "faultyapp: check: /x is missing\n"},
		{"other", errors.New("boom"), 1, "", "faultyapp: boom\n"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			var out, errOut bytes.Buffer
			if code := exitCode(tc.err, &out, &errOut); code != tc.code {
				t.Errorf("code %d, want %d", code, tc.code)
			}
			if !strings.Contains(out.String(), tc.stdout) || errOut.String() != tc.errs {
				t.Errorf("stdout %q stderr %q", out.String(), errOut.String())
			}
		})
	}
}
