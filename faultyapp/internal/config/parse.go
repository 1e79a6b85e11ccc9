package config

import (
	"errors"
	"flag"
	"fmt"
	"io"
)

// ErrHelp is returned by Parse for -h / -help; the caller prints Usage.
var ErrHelp = flag.ErrHelp

// raw keeps a flag's text as typed, so that every option is parsed (and
// worded when wrong) by its own set function, not by the flag package.
type raw struct {
	val    string
	isBool bool
}

func (r *raw) String() string     { return r.val }
func (r *raw) Set(v string) error { r.val = v; return nil }
func (r *raw) IsBoolFlag() bool   { return r.isBool }

// Parse reads the command line, then the environment (through getenv) for
// every option not given as a flag, and validates the result. Every problem
// is reported, one line each, as a *UsageError.
func Parse(args []string, getenv func(string) string) (Config, error) {
	fs := flag.NewFlagSet("faultyapp", flag.ContinueOnError)
	fs.SetOutput(io.Discard) // errors are worded and printed once, by main
	raws := make(map[string]*raw, len(options))
	for _, o := range options {
		raws[o.name] = &raw{isBool: o.bool}
		fs.Var(raws[o.name], o.name, o.usage)
	}
	if err := fs.Parse(args); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			return Config{}, ErrHelp
		}
		return Config{}, &UsageError{fmt.Errorf("%v (see faultyapp -help)", err)}
	}
	if fs.NArg() > 0 {
		return Config{}, &UsageError{fmt.Errorf("unexpected argument %q (see faultyapp -help)", fs.Arg(0))}
	}
	given := map[string]bool{}
	fs.Visit(func(f *flag.Flag) { given[f.Name] = true })
	return apply(raws, given, getenv)
}

func apply(raws map[string]*raw, given map[string]bool, getenv func(string) string) (Config, error) {
	c := Default()
	var errs []error
	for _, o := range options {
		label, v := "-"+o.name+" ", raws[o.name].val
		if !given[o.name] {
			env := EnvName(o.name)
			if v = getenv(env); v == "" {
				continue
			}
			label = env + "="
		}
		if err := o.set(&c, v); err != nil {
			errs = append(errs, fmt.Errorf("%s%q %v", label, v, err))
		}
	}
	if len(errs) == 0 {
		errs = append(errs, c.Validate())
	}
	if err := errors.Join(errs...); err != nil {
		return Config{}, &UsageError{err}
	}
	return c, nil
}
