package app

import (
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/probedrill/probedrill/faultyapp/internal/config"
)

func TestCheck(t *testing.T) {
	dir := t.TempDir()
	there := filepath.Join(dir, "there")
	if err := os.WriteFile(there, nil, 0o644); err != nil {
		t.Fatal(err)
	}
	gone := filepath.Join(dir, "gone")
	cases := []struct {
		name string
		args []string
		env  string
		code int
		msg  string
	}{
		{"exists", []string{"-file", there}, "", 0, ""},
		{"missing", []string{"-file", gone}, "", 1, "check: " + gone + " is missing"},
		{"default from env", nil, there, 0, ""},
		{"default from env, missing", nil, gone, 1, gone + " is missing"},
		{"bad flag", []string{"-nope"}, "", 2, "check: flag provided but not defined: -nope"},
		{"extra argument", []string{"x"}, "", 2, `unexpected argument "x"`},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			err := runCheck(tc.args, func(k string) string {
				if k == "FAULTYAPP_HEALTH_FILE" {
					return tc.env
				}
				return ""
			})
			code := exitOf(err)
			var ue *config.UsageError
			if errors.As(err, &ue) {
				code = 2
			}
			if code != tc.code || (tc.msg != "" && !strings.Contains(err.Error(), tc.msg)) {
				t.Errorf("got %v (code %d), want code %d with %q", err, code, tc.code, tc.msg)
			}
		})
	}
}
