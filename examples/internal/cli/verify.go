package cli

import (
	"flag"

	"github.com/glasstls/glasstls/handshake"
	"github.com/glasstls/glasstls/x509verify"
)

// ProfileFlag is the value of -verify_profile: how strictly the peer's
// certificates are judged (handshake.Config.VerifyProfile).
type ProfileFlag struct{ Profile x509verify.Profile }

// String names the profile.
func (p *ProfileFlag) String() string { return p.Profile.String() }

// Set parses compat, rfc5280 or webpki.
func (p *ProfileFlag) Set(s string) error {
	profile, err := x509verify.ParseProfile(s)
	if err != nil {
		return err
	}
	p.Profile = profile
	return nil
}

// RegisterVerifyProfileFlag adds -verify_profile to the command line.
func RegisterVerifyProfileFlag() *ProfileFlag { return RegisterVerifyProfileFlagOn(flag.CommandLine) }

// RegisterVerifyProfileFlagOn adds -verify_profile to fs.
func RegisterVerifyProfileFlagOn(fs *flag.FlagSet) *ProfileFlag {
	p := new(ProfileFlag)
	fs.Var(p, "verify_profile", "how strictly to judge the peer's certificates: compat (what crypto/x509 accepts), rfc5280 (plus RFC 5280's rules) or webpki (plus the CA/B Forum Baseline Requirements)")
	return p
}

// LintLines returns one line per rule of RFC 5280 or the Web PKI that the
// peer's verified chain breaks, as x509verify.Lints finds them: what a
// stricter -verify_profile would have refused, and why. None when the
// chain was not verified.
func LintLines(state handshake.ConnectionState) []string {
	if len(state.VerifiedChains) == 0 {
		return nil
	}
	var lines []string
	for _, l := range x509verify.Lints(state.VerifiedChains[0], x509verify.Options{}) {
		lines = append(lines, "verify lint: "+l.String())
	}
	return lines
}
