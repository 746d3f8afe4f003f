package main

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"flag"
	"fmt"
	"html"
	"image"
	"image/png"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/glasstls/glasstls/internal/interop"
)

var updateScreenshot = flag.Bool("update-screenshot", false, "rewrite the README's screenshot of the walkthrough's page")

// screenshotFile is the README's picture of the page, beside the README.
const screenshotFile = "../../illustrated-page.png"

// walkthroughPage runs the walkthrough with -html and -json -side client
// together: the JSON events of the first connection are the reference the
// page is checked against.
func walkthroughPage(t *testing.T, opts options) (page string, records []map[string]any, values map[string]string, messages []string) {
	t.Helper()
	opts.html = filepath.Join(t.TempDir(), "page.html")
	opts.json, opts.side = true, "client"
	var out bytes.Buffer
	require.NoError(t, run(&out, opts))
	data, err := os.ReadFile(opts.html)
	require.NoError(t, err)

	values = map[string]string{}
	scanner := bufio.NewScanner(&out)
	scanner.Buffer(nil, 1<<20)
	for scanner.Scan() {
		var event map[string]any
		require.NoError(t, json.Unmarshal(scanner.Bytes(), &event))
		if title, _ := event["title"].(string); strings.HasPrefix(title, "3. ") {
			break // the resumed connection: not on the page
		}
		switch event["event"] {
		case "record":
			records = append(records, event)
		case "value":
			if v, ok := event["value"].(string); ok {
				values[event["name"].(string)] = v
			}
		case "message":
			messages = append(messages, event["name"].(string))
		}
	}
	require.NoError(t, scanner.Err())
	return string(data), records, values, messages
}

// leafHex matches one highlighted field of a record's wire pane.
var leafHex = regexp.MustCompile(`id="r(\d+)-w-\d+"[^>]*>([0-9a-f ]*)<span class="(?:tip|cut)"`)

// TestWalkthroughPage checks the page of the walkthrough's connection
// against the walkthrough's own JSON trace of it: every record's bytes, in
// order; every handshake message; the master secret and the six keys; and
// nothing that points outside the file.
func TestWalkthroughPage(t *testing.T) {
	for _, opts := range []options{
		{suite: "TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256", seed: 1},
		{suite: "TLS_RSA_WITH_AES_128_CBC_SHA", seed: 1, macThenEncrypt: true, noEMS: true, clientCert: true},
	} {
		t.Run(opts.suite, func(t *testing.T) {
			page, records, values, messages := walkthroughPage(t, opts)
			require.NotEmpty(t, records)

			wire := map[int]string{}
			for _, m := range leafHex.FindAllStringSubmatch(page, -1) {
				n, err := strconv.Atoi(m[1])
				require.NoError(t, err)
				wire[n] += strings.ReplaceAll(m[2], " ", "")
			}
			require.Len(t, wire, len(records), "one wire pane per record")
			for i, r := range records {
				assert.Equal(t, r["wire"], wire[i], "record %d: every byte once, in order", i)
				assert.Contains(t, page, `href="#rec-`+strconv.Itoa(i)+`"`, "the ladder links record %d", i)
			}

			var headings []string
			for _, m := range regexp.MustCompile(`<h3 id="rec-\d+-h">([^<]*)</h3>`).FindAllStringSubmatch(page, -1) {
				headings = append(headings, m[1])
			}
			require.Len(t, headings, len(records))
			all := strings.Join(headings, "\n")
			count := map[string]int{}
			for _, name := range messages {
				count[name]++
			}
			for name, n := range count {
				assert.GreaterOrEqual(t, strings.Count(all, name), n, "message %s: %d in the trace", name, n)
			}

			flat := strings.ReplaceAll(page, "<wbr>", "")
			master := "master_secret (extended)"
			if opts.noEMS {
				master = "master_secret"
			}
			for _, name := range []string{master, "client_write_MAC_key", "server_write_MAC_key", "client_write_key", "server_write_key",
				"client_write_IV", "server_write_IV", "pre_master_secret", "client_verify_data", "server_verify_data"} {
				v, ok := values[name]
				require.True(t, ok, "%s traced", name)
				assert.Contains(t, page, `<div class="bn">`+name+`</div>`, "a box for %s", name)
				if v != "" {
					assert.True(t, strings.Contains(flat, v), "%s's value %s is on the page", name, v)
				}
			}

			assert.NotRegexp(t, `(?i)\ssrc\s*=`, page)
			assert.NotRegexp(t, `(?i)url\(`, page)
			for _, m := range regexp.MustCompile(`(?i)href\s*=\s*"?([^"\s>]*)`).FindAllStringSubmatch(page, -1) {
				assert.True(t, strings.HasPrefix(m[1], "#"), "href %q leaves the page", m[1])
			}
		})
	}
}

// chromium runs headless Chromium with the flags that keep it quiet and
// away from the network, plus args.
func chromium(t *testing.T, args ...string) []byte {
	t.Helper()
	path := interop.RequireTool(t, "chromium")
	ctx, cancel := context.WithTimeout(context.Background(), 60*time.Second)
	defer cancel()
	full := append([]string{"--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
		"--disable-background-networking", "--disable-component-update", "--disable-sync",
		"--hide-scrollbars", "--user-data-dir=" + t.TempDir()}, args...)
	cmd := exec.CommandContext(ctx, path, full...)
	var stdout, stderr bytes.Buffer
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	require.NoError(t, cmd.Run(), stderr.String())
	return stdout.Bytes()
}

// measureHarness is added to a copy of the page so that --dump-dom reports
// how wide the laid-out page is, at the window's width and, in an iframe,
// at a phone's (headless Chromium's window is at least 500 pixels wide).
const measureHarness = `<iframe id="phone" width="390" height="800" srcdoc="%s"></iframe>
<script>window.addEventListener('load',function(){
var d=document.getElementById('phone').contentDocument;
document.body.setAttribute('data-widths',window.innerWidth+' '+document.documentElement.scrollWidth+' '+d.defaultView.innerWidth+' '+d.documentElement.scrollWidth);
});</script>`

// TestWalkthroughPageInChromium loads the walkthrough's page in headless
// Chromium: the DOM it builds has the ladder, every record and the field
// annotations; the layout fits 1280 pixels and a phone without sideways
// scrolling; and a screenshot is a real picture, the README's.
func TestWalkthroughPageInChromium(t *testing.T) {
	page, records, _, _ := walkthroughPage(t, options{suite: "TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256", seed: 1})
	dir := t.TempDir()
	file := filepath.Join(dir, "page.html")
	require.NoError(t, os.WriteFile(file, []byte(page), 0o644))
	measured := filepath.Join(dir, "measured.html")
	harness := fmt.Sprintf(measureHarness, html.EscapeString(page))
	require.NoError(t, os.WriteFile(measured, []byte(strings.Replace(page, "</body>", harness+"</body>", 1)), 0o644))

	dom := string(chromium(t, "--window-size=1280,900", "--dump-dom", "file://"+measured))
	dom, _, _ = strings.Cut(dom, `<iframe id="phone"`)
	assert.Equal(t, len(records), strings.Count(dom, `<article class="rec `), "every record is in the DOM")
	rungs := regexp.MustCompile(`<li class="rung (?:c2s|s2c) `).FindAllString(dom, -1)
	assert.Len(t, rungs, len(records), "one ladder rung per record")
	for _, want := range []string{`<nav id="ladder"`, `<b class="tn">cipher_suite</b>`,
		`<span class="tv">= TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256 (0xC02F)</span>`, `role="tooltip"`,
		`<b class="tn">nonce_explicit</b>`, `<b class="tn">verify_data</b>`, `id="keys"`, `client verifies the server`} {
		assert.Contains(t, dom, want)
	}
	m := regexp.MustCompile(`data-widths="(\d+) (\d+) (\d+) (\d+)"`).FindStringSubmatch(dom)
	require.NotNil(t, m, "the measuring script ran")
	n := func(s string) int { v, _ := strconv.Atoi(s); return v }
	assert.Equal(t, 1280, n(m[1]))
	assert.LessOrEqual(t, n(m[2]), n(m[1]), "at 1280 px the page needs no sideways scrolling")
	assert.Less(t, n(m[3]), 400)
	assert.LessOrEqual(t, n(m[4]), n(m[3]), "on a phone the page needs no sideways scrolling")

	shot := filepath.Join(dir, "page.png")
	chromium(t, "--window-size=1280,900", "--screenshot="+shot, "file://"+file)
	img := decodePNG(t, shot)
	assert.Equal(t, image.Rect(0, 0, 1280, 900), img.Bounds())
	assert.Greater(t, distinctGreys(img), 20, "a page, not a blank screen")
	if *updateScreenshot {
		data, err := os.ReadFile(shot)
		require.NoError(t, err)
		require.NoError(t, os.WriteFile(screenshotFile, data, 0o644))
	}

	// The README shows the checked-in screenshot.
	readme, err := os.ReadFile("../../README.md")
	require.NoError(t, err)
	assert.Contains(t, string(readme), "](illustrated-page.png)")
	checkedIn := decodePNG(t, screenshotFile)
	assert.Equal(t, 1280, checkedIn.Bounds().Dx())
	assert.Greater(t, distinctGreys(checkedIn), 20)
}

func decodePNG(t *testing.T, file string) image.Image {
	t.Helper()
	f, err := os.Open(file)
	require.NoError(t, err)
	defer f.Close()
	img, err := png.Decode(f)
	require.NoError(t, err)
	return img
}

// distinctGreys counts the grey levels in a picture (a blank page has one).
func distinctGreys(img image.Image) int {
	seen := map[uint32]bool{}
	b := img.Bounds()
	for y := b.Min.Y; y < b.Max.Y; y += 3 {
		for x := b.Min.X; x < b.Max.X; x += 3 {
			r, g, bl, _ := img.At(x, y).RGBA()
			seen[(r*299+g*587+bl*114)/1000>>8] = true
		}
	}
	return len(seen)
}
