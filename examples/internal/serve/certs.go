package serve

import (
	"crypto/x509"
	"errors"
	"strings"
	"sync/atomic"

	"github.com/glasstls/glasstls/handshake"
)

// certFiles are the certificate and key files of the command line.
type certFiles struct {
	cert, key   string // -cert, -key
	dcert, dkey string // -dcert, -dkey: a second key type (ECDSA beside RSA)
	serverName  string // -servername
	cert2, key2 string // -cert2, -key2: served to clients asking for serverName
}

// certSet is one loading of certFiles.
type certSet struct {
	defaults []handshake.Certificate // -cert, then -dcert
	named    *handshake.Certificate  // -cert2, or nil
}

// certStore holds the certificates the server presents. Config.GetCertificate
// reads them for each handshake; reload swaps in a new set at once, so a
// handshake sees either the old set or the new one, never half of each.
type certStore struct {
	files   certFiles
	current atomic.Pointer[certSet]
}

func newCertStore(files certFiles) (*certStore, error) {
	if (files.serverName == "") != (files.cert2 == "") {
		return nil, errors.New("-servername and -cert2 go together")
	}
	store := &certStore{files: files}
	return store, store.reload()
}

// reload reads every file again.
func (s *certStore) reload() error {
	f := s.files
	set := &certSet{}
	cert, err := handshake.LoadX509KeyPair(f.cert, f.key)
	if err != nil {
		return err
	}
	set.defaults = append(set.defaults, cert)
	if f.dcert != "" {
		dcert, err := handshake.LoadX509KeyPair(f.dcert, f.dkey)
		if err != nil {
			return err
		}
		set.defaults = append(set.defaults, dcert)
	}
	if f.cert2 != "" {
		cert2, err := handshake.LoadX509KeyPair(f.cert2, f.key2)
		if err != nil {
			return err
		}
		set.named = &cert2
	}
	s.current.Store(set)
	return nil
}

// getCertificate is Config.GetCertificate: -cert2 for a client asking for
// -servername (as s_server does: compared without regard to case), else
// the -cert/-dcert certificate the client can use, ECDSA first (smaller and
// faster to sign with), else the -cert one (the handshake then fails with
// the alert that explains why).
func (s *certStore) getCertificate(hello *handshake.ClientHelloInfo) (*handshake.Certificate, error) {
	set := s.current.Load()
	if set.named != nil && strings.EqualFold(hello.ServerName, s.files.serverName) {
		return set.named, nil
	}
	var usable *handshake.Certificate
	for i := range set.defaults {
		cert := &set.defaults[i]
		if hello.SupportsCertificate(cert) != nil {
			continue
		}
		if cert.Leaf != nil && cert.Leaf.PublicKeyAlgorithm == x509.ECDSA {
			return cert, nil
		}
		if usable == nil {
			usable = cert
		}
	}
	if usable == nil {
		usable = &set.defaults[0]
	}
	return usable, nil
}
