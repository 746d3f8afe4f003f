package x509verify

import (
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"
	"sync"
)

// systemBundleFiles are the single-file trust stores of the common Linux
// distributions; the first one that loads wins.
var systemBundleFiles = []string{
	"/etc/ssl/certs/ca-certificates.crt",                // Debian, Ubuntu, Gentoo, Arch
	"/etc/pki/tls/certs/ca-bundle.crt",                  // Fedora, RHEL 6
	"/etc/pki/ca-trust/extracted/pem/tls-ca-bundle.pem", // RHEL 7+, CentOS
	"/etc/ssl/ca-bundle.pem",                            // openSUSE
	"/etc/pki/tls/cacert.pem",                           // OpenELEC
	"/etc/ssl/cert.pem",                                 // Alpine, BSDs
}

// systemCertDirs are directories of one-certificate files, used when no
// bundle file is found.
var systemCertDirs = []string{
	"/etc/ssl/certs",
	"/etc/pki/tls/certs",
}

// maxTrustStoreFile bounds how much of one file is read, so that a
// misconfigured path (a device, a huge log) cannot exhaust memory.
const maxTrustStoreFile = 64 << 20

// systemPool is the one piece of state this package keeps: a read-only
// cache of the machine's trust store, read on first use and then for the
// life of the process, as crypto/x509.SystemCertPool does. Reading and
// parsing the ~150 roots of a distribution bundle costs about 10 ms; a
// server that trusts the system roots for client certificates would
// otherwise pay that on every handshake a peer chose to start. Nothing
// ever writes to the cached Pool: SystemPool hands out copies that share
// its index until they are added to (Pool.sharedCopy).
var systemPool struct {
	once sync.Once
	pool *Pool
	err  error
}

// SystemPool returns the machine's trust store: the environment variables
// SSL_CERT_FILE and SSL_CERT_DIR (colon-separated) if set, as OpenSSL
// honours them; otherwise the first bundle file found among the usual Linux
// locations (/etc/ssl/certs/ca-certificates.crt and others), and failing
// that the certificate files in /etc/ssl/certs and /etc/pki/tls/certs.
// It returns an error if no certificate at all could be loaded.
//
// The store is read once per process, on the first call; later calls
// return the same certificates (and the same error) without touching the
// file system, so changes to the store or to SSL_CERT_FILE take effect on
// restart. Each call returns a fresh Pool, which the caller may add to
// without affecting other callers.
func SystemPool() (*Pool, error) {
	systemPool.once.Do(func() {
		systemPool.pool, systemPool.err = loadSystemPool()
	})
	if systemPool.err != nil {
		return nil, systemPool.err
	}
	return systemPool.pool.sharedCopy(), nil
}

// loadSystemPool reads the trust store from where SystemPool says.
func loadSystemPool() (*Pool, error) {
	files, dirs := systemBundleFiles, systemCertDirs
	if f := os.Getenv("SSL_CERT_FILE"); f != "" {
		files = []string{f}
	}
	if d := os.Getenv("SSL_CERT_DIR"); d != "" {
		dirs = strings.Split(d, ":")
	}
	return loadPool(files, dirs)
}

// loadPool loads the first of files that yields certificates; if none does,
// it loads every certificate file in dirs.
func loadPool(files, dirs []string) (*Pool, error) {
	pool := NewPool()
	var errs []error
	for _, name := range files {
		data, err := readBounded(name)
		if err != nil {
			errs = append(errs, err)
			continue
		}
		if pool.AppendPEM(data) {
			return pool, nil
		}
		errs = append(errs, fmt.Errorf("%s: no certificates found", name))
	}
	for _, dir := range dirs {
		entries, err := os.ReadDir(dir)
		if err != nil {
			errs = append(errs, err)
			continue
		}
		for _, e := range entries {
			// Symlinks (the c_rehash hash names) are followed by readBounded;
			// duplicates they create are dropped by AddCert.
			if e.IsDir() {
				continue
			}
			data, err := readBounded(filepath.Join(dir, e.Name()))
			if err != nil {
				continue
			}
			pool.AppendPEM(data)
		}
	}
	if pool.Len() == 0 {
		return nil, fmt.Errorf("x509verify: no system trust store found: %w", errors.Join(errs...))
	}
	return pool, nil
}

func readBounded(name string) ([]byte, error) {
	f, err := os.Open(name)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	st, err := f.Stat()
	if err != nil {
		return nil, err
	}
	if !st.Mode().IsRegular() {
		return nil, fmt.Errorf("%s: not a regular file", name)
	}
	data, err := io.ReadAll(io.LimitReader(f, maxTrustStoreFile+1))
	if err != nil {
		return nil, err
	}
	if len(data) > maxTrustStoreFile {
		return nil, fmt.Errorf("%s: larger than %d bytes", name, maxTrustStoreFile)
	}
	return data, nil
}
