// Package entrypoint runs the suite the way a Go implementation does:
// from its own test, with spec.TestAdapter, in a test binary of its own
// (Ginkgo runs one suite per binary).
package entrypoint_test

import (
	"sync/atomic"
	"testing"

	"github.com/onsi/ginkgo/v2"

	"github.com/aiterspec/aiterspec/adapters"
	"github.com/aiterspec/aiterspec/adapters/interp"
	"github.com/aiterspec/aiterspec/spec"
)

// counted is an adapter that counts its Close calls.
type counted struct {
	adapters.Adapter
	closes *atomic.Int32
}

func (c counted) Close() error {
	c.closes.Add(1)
	return c.Adapter.Close()
}

// TestAdapterOpensOnceAndClosesWhatItOpened is also the pattern for a Go
// implementation: replace interp.New by your own adapter's constructor.
func TestAdapterOpensOnceAndClosesWhatItOpened(t *testing.T) {
	var opens, closes atomic.Int32
	open := func() (adapters.Adapter, error) {
		opens.Add(1)
		return counted{interp.New(interp.DefaultOps(), adapters.Options{}), &closes}, nil
	}
	spec.TestAdapter(t, open, spec.Options{})
	if suite, _ := ginkgo.GinkgoConfiguration(); suite.DryRun {
		return // a dry run opens nothing
	}
	if opens.Load() != 1 || closes.Load() != 1 {
		t.Errorf("TestAdapter opened the adapter %d times and closed it %d times; want once each", opens.Load(), closes.Load())
	}
}
