package nethttp

import (
	"os"
	"regexp"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// Every Go snippet of the README's "Use it" section is code that runs as an
// Example (handshake/example_readme_test.go, example_test.go here): the
// snippet's lines, without their indentation, must appear in that order,
// one after the other, in one of those files. Edit the Example, then the
// README, and this test keeps them together.
func TestREADMESnippetsAreExamples(t *testing.T) {
	readme, err := os.ReadFile("../../README.md")
	require.NoError(t, err)
	section := string(readme)
	start := strings.Index(section, "## Use it")
	require.NotEqual(t, -1, start, "README has a Use it section")
	section = section[start:]
	if end := strings.Index(section[1:], "\n## "); end != -1 {
		section = section[:end+1]
	}
	snippets := regexp.MustCompile("(?s)```go\n(.*?)```").FindAllStringSubmatch(section, -1)
	require.Len(t, snippets, 4, "client, server, HTTPS server, HTTPS client")

	var examples []string
	for _, file := range []string{"../example_readme_test.go", "example_test.go"} {
		data, err := os.ReadFile(file)
		require.NoError(t, err)
		examples = append(examples, strings.Join(normalized(string(data)), "\n"))
	}
	for _, snippet := range snippets {
		lines := strings.Join(normalized(snippet[1]), "\n")
		found := false
		for _, example := range examples {
			found = found || strings.Contains("\n"+example+"\n", "\n"+lines+"\n")
		}
		assert.True(t, found, "README snippet is not in an Example:\n%s", snippet[1])
	}
}

// normalized is code's non-blank lines without their indentation.
func normalized(code string) []string {
	var lines []string
	for _, line := range strings.Split(code, "\n") {
		if line = strings.TrimSpace(line); line != "" {
			lines = append(lines, line)
		}
	}
	return lines
}
