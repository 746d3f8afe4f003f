package main

import (
	"errors"
	"os"
	"sync"

	"github.com/glasstls/glasstls/handshake/session"
)

// sessionStore is this client's ClientSessionCache. It talks to one server,
// so it keeps one session whatever the key: loaded from -sess_in, replaced
// by each handshake, written to -sess_out at the end.
type sessionStore struct {
	mu      sync.Mutex
	current *session.State
}

// loadSessionStore starts with the session in file, if file is not empty.
func loadSessionStore(file string) (*sessionStore, error) {
	store := &sessionStore{}
	if file == "" {
		return store, nil
	}
	data, err := os.ReadFile(file)
	if err != nil {
		return nil, err
	}
	store.current, err = session.UnmarshalPEM(data)
	return store, err
}

// Get implements session.ClientCache.
func (s *sessionStore) Get(string) (*session.State, bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.current, s.current != nil
}

// Put implements session.ClientCache.
func (s *sessionStore) Put(_ string, state *session.State) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.current = state
}

// save writes the current session to file (mode 0600: it holds a master
// secret), like s_client -sess_out.
func (s *sessionStore) save(file string) error {
	s.mu.Lock()
	current := s.current
	s.mu.Unlock()
	if current == nil {
		return errors.New("the server gave no session to save (no session ID, no ticket)")
	}
	data, err := current.MarshalPEM()
	if err != nil {
		return err
	}
	return os.WriteFile(file, data, 0o600)
}
