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
