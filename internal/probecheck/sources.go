package probecheck

import (
	"bytes"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"slices"
	"strings"
)

// Stdin is the source name that reads standard input, as kubectl's -f -.
const Stdin = "-"

// StdinName names stdin in messages.
const StdinName = "stdin"

// maxInputSize bounds what one source may hold: `helm template` of a chart
// is a few hundred kilobytes; more is a mistake (a binary, a log).
const maxInputSize = 4 << 20

// manifestExts are the files a directory source contributes, as kubectl -f DIR.
var manifestExts = []string{".yaml", ".yml", ".json"}

// Read reads the user's sources — files, directories (their .yaml, .yml
// and .json files, not recursively) and "-" for stdin — and takes the one
// workload sel picks. Every input error is a *scenarios.InvalidError
// naming the file, the field and the fix.
func Read(sources []string, stdin io.Reader, sel Selection) (*Input, error) {
	if len(sources) == 0 {
		return nil, problem("", "", "no input", "give a FILE, a directory, or - for stdin (or -f FILE)")
	}
	var docs []document
	var files []string
	for _, src := range sources {
		ds, fs, err := readSource(src, stdin)
		if err != nil {
			return nil, err
		}
		docs, files = append(docs, ds...), append(files, fs...)
	}
	in, err := parseDocs(inputName(sources), docs, sel)
	if err != nil {
		return nil, err
	}
	in.Sources = files
	return in, nil
}

// ReadFile reads one file; see Read.
func ReadFile(file, container string) (*Input, error) {
	return Read([]string{file}, nil, Selection{Container: container})
}

// inputName names the whole input in messages: the sources, stdin for -.
func inputName(sources []string) string {
	names := make([]string, len(sources))
	for i, s := range sources {
		names[i] = s
		if s == Stdin {
			names[i] = StdinName
		}
	}
	return strings.Join(names, ", ")
}

// readSource returns the documents of one source and the files they came from.
func readSource(src string, stdin io.Reader) ([]document, []string, error) {
	if src == Stdin {
		if stdin == nil {
			return nil, nil, problem(src, "", "stdin is not available here", "give a FILE instead of -")
		}
		data, err := readLimited(src, stdin)
		if err != nil {
			return nil, nil, err
		}
		ds, err := documents(StdinName, data)
		return ds, []string{StdinName}, err
	}
	st, err := os.Stat(src)
	if err != nil {
		return nil, nil, problem(src, "", "cannot be read ("+unwrapPath(err)+")",
			"give an existing file or directory, or - to read stdin")
	}
	if !st.IsDir() {
		ds, err := readManifestFile(src)
		return ds, []string{src}, err
	}
	return readDir(src)
}

// readDir reads a directory's manifest files in name order.
func readDir(dir string) ([]document, []string, error) {
	entries, err := os.ReadDir(dir)
	if err != nil {
		return nil, nil, fmt.Errorf("reading directory %s: %w", dir, err)
	}
	var docs []document
	var files []string
	for _, e := range entries {
		if e.IsDir() || !slices.Contains(manifestExts, strings.ToLower(filepath.Ext(e.Name()))) {
			continue
		}
		f := filepath.Join(dir, e.Name())
		ds, err := readManifestFile(f)
		if err != nil {
			return nil, nil, err
		}
		docs, files = append(docs, ds...), append(files, f)
	}
	if len(files) == 0 {
		return nil, []string{dir}, problem(dir, "", "holds no .yaml, .yml or .json file",
			"give the directory holding the manifests, or the file itself")
	}
	return docs, files, nil
}

func readManifestFile(file string) ([]document, error) {
	f, err := os.Open(file)
	if err != nil {
		return nil, problem(file, "", "cannot be read ("+unwrapPath(err)+")", "give a readable file")
	}
	defer f.Close()
	data, err := readLimited(file, f)
	if err != nil {
		return nil, err
	}
	return documents(file, data)
}

// readLimited reads r whole, refusing more than maxInputSize.
func readLimited(name string, r io.Reader) ([]byte, error) {
	var b bytes.Buffer
	n, err := io.Copy(&b, io.LimitReader(r, maxInputSize+1))
	if err != nil {
		return nil, fmt.Errorf("reading %s: %w", name, err)
	}
	if n > maxInputSize {
		return nil, problem(name, "", fmt.Sprintf("is more than %d bytes, more than manifests need", maxInputSize),
			"give the manifests of the workload to check")
	}
	return b.Bytes(), nil
}

// unwrapPath drops the path an *os.PathError repeats ("stat x: no such
// file" → "no such file"): the message names the file already.
func unwrapPath(err error) string {
	if pe, ok := err.(*os.PathError); ok {
		return pe.Err.Error()
	}
	return err.Error()
}
