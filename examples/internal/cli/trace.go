package cli

import (
	"flag"
	"os"

	"github.com/glasstls/glasstls/handshake"
	"github.com/glasstls/glasstls/handshake/trace"
)

// TraceFlags are the flags that show what a connection does: -trace,
// -trace-json, -trace-hex, -trace-secrets and -keylogfile.
type TraceFlags struct {
	text, json, hex, secrets *bool
	keyLogFile               *string
}

// RegisterTraceFlags defines the tracing flags on the default flag set.
func RegisterTraceFlags() *TraceFlags { return RegisterTraceFlagsOn(flag.CommandLine) }

// RegisterTraceFlagsOn defines the tracing flags on fs.
func RegisterTraceFlagsOn(fs *flag.FlagSet) *TraceFlags {
	return &TraceFlags{
		text:       fs.Bool("trace", false, "narrate every handshake message, record and derived value on standard error"),
		json:       fs.Bool("trace-json", false, "the same as JSON, one object per line, on standard error"),
		hex:        fs.Bool("trace-hex", false, "dump every record's bytes, each labelled with its field, on standard error"),
		secrets:    fs.Bool("trace-secrets", false, "let the trace show the pre-master and master secrets and the keys"),
		keyLogFile: fs.String("keylogfile", "", "append the NSS key log (CLIENT_RANDOM lines) to FILE, for Wireshark"),
	}
}

// Apply sets Config.Trace, TraceSecrets and KeyLogWriter from the flags.
// The returned function closes the key log file.
func (f *TraceFlags) Apply(config *handshake.Config) (func(), error) {
	switch {
	case *f.json:
		config.Trace = trace.NewJSON(os.Stderr)
	case *f.hex:
		config.Trace = trace.NewHexDump(os.Stderr)
	case *f.text:
		config.Trace = trace.NewText(os.Stderr)
	}
	config.TraceSecrets = *f.secrets
	if *f.keyLogFile == "" {
		return func() {}, nil
	}
	file, err := os.OpenFile(*f.keyLogFile, os.O_WRONLY|os.O_CREATE|os.O_APPEND, 0o600)
	if err != nil {
		return nil, err
	}
	config.KeyLogWriter = file
	return func() { _ = file.Close() }, nil
}
