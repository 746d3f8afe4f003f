// Package docs holds the learning path and the glossary; its test keeps
// the code they name real.
package docs

import (
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
)

var (
	backquoted = regexp.MustCompile("`([^`]+)`")
	filePath   = regexp.MustCompile(`^[a-z0-9_./]+\.(go|md)$`)
	funcName   = regexp.MustCompile(`^[a-z][A-Za-z0-9]*$`)
	exported   = regexp.MustCompile(`^([a-z0-9]+)\.([A-Z][A-Za-z0-9]*)$`)
)

// packageDirs maps the short package names the docs use to directories.
var packageDirs = map[string]string{
	"prf": "prf", "cipher": "cipher", "record": "record", "handshake": "handshake",
	"x509verify": "x509verify", "session": "handshake/session", "trace": "handshake/trace",
}

// TestGlossaryNamesExist checks every file, function and exported name
// the glossary and the learning path cite: in each table cell, a file
// path is followed by names of functions in that file.
func TestGlossaryNamesExist(t *testing.T) {
	for _, doc := range []string{"GLOSSARY.md", "LEARNING.md"} {
		data, err := os.ReadFile(doc)
		if err != nil {
			t.Fatal(err)
		}
		checked := 0
		for _, line := range strings.Split(string(data), "\n") {
			for _, cell := range strings.Split(line, "|") {
				var file string
				for _, m := range backquoted.FindAllStringSubmatch(cell, -1) {
					token := m[1]
					switch {
					case filePath.MatchString(token):
						file = token
						if _, err := os.Stat(filepath.Join("..", file)); err != nil {
							t.Errorf("%s: %s does not exist", doc, file)
						}
						checked++
					case funcName.MatchString(token) && file != "":
						src, err := os.ReadFile(filepath.Join("..", file))
						if err != nil {
							continue
						}
						// A function declared there, or a local variable assigned there.
						if !regexp.MustCompile(`func (\([^)]*\) )?` + token + `[(\[]|\b` + token + `(, \w+)? :?= `).Match(src) {
							t.Errorf("%s: %s names %s, which is not in it", doc, file, token)
						}
						checked++
					case exported.MatchString(token):
						parts := exported.FindStringSubmatch(token)
						dir, ok := packageDirs[parts[1]]
						if !ok {
							continue
						}
						if !declares(t, filepath.Join("..", dir), parts[2]) {
							t.Errorf("%s: %s is not declared in %s", doc, token, dir)
						}
						checked++
					}
				}
			}
		}
		if doc == "GLOSSARY.md" && checked < 40 {
			t.Errorf("%s: only %d names checked; the table lost its code column?", doc, checked)
		}
	}
}

// declares reports whether a non-test file in dir declares name.
func declares(t *testing.T, dir, name string) bool {
	files, err := filepath.Glob(filepath.Join(dir, "*.go"))
	if err != nil {
		t.Fatal(err)
	}
	decl := regexp.MustCompile(`(?m)^(func (\([^)]*\) )?` + name + `[(\[]|type ` + name + `\b|\t?` + name + `\s+=|var ` + name + `\b)`)
	for _, f := range files {
		if strings.HasSuffix(f, "_test.go") {
			continue
		}
		src, err := os.ReadFile(f)
		if err == nil && decl.Match(src) {
			return true
		}
	}
	return false
}

var (
	// markdownLink is a link's target in [text](target).
	markdownLink = regexp.MustCompile(`\]\(([^)\s]+)\)`)
	// backquotedWord is one backquoted word; unlike backquoted it cannot
	// pair the backquotes of a code fence with those of the next span.
	backquotedWord = regexp.MustCompile("`([^`\\s]+)`")
)

// TestDocsPointAtFilesThatExist checks the README and the other guides: a
// relative link must reach a file, and a backquoted file path (as the
// README's list of tests writes them, from the repository's root) must
// name one, so that moving a file without its mentions fails here.
func TestDocsPointAtFilesThatExist(t *testing.T) {
	docs := []string{"../README.md", "../bench/README.md", "../examples/walkthrough/DEBUGGING.md", "GLOSSARY.md", "LEARNING.md"}
	for _, doc := range docs {
		data, err := os.ReadFile(doc)
		if err != nil {
			t.Fatal(err)
		}
		checked := 0
		for _, m := range markdownLink.FindAllStringSubmatch(string(data), -1) {
			target, _, _ := strings.Cut(m[1], "#")
			if target == "" || strings.Contains(target, "://") {
				continue
			}
			if _, err := os.Stat(filepath.Join(filepath.Dir(doc), target)); err != nil {
				t.Errorf("%s links to %s, which does not exist", doc, m[1])
			}
			checked++
		}
		for _, m := range backquotedWord.FindAllStringSubmatch(string(data), -1) {
			if !filePath.MatchString(m[1]) || !strings.Contains(m[1], "/") {
				continue
			}
			_, fromRoot := os.Stat(filepath.Join("..", m[1]))
			_, fromDoc := os.Stat(filepath.Join(filepath.Dir(doc), m[1]))
			if fromRoot != nil && fromDoc != nil {
				t.Errorf("%s names %s, which does not exist", doc, m[1])
			}
			checked++
		}
		if doc == "../README.md" && checked < 20 {
			t.Errorf("%s: only %d links and paths checked; did the pattern stop matching?", doc, checked)
		}
	}
}
