package speclock_test

import (
	"testing"
	"time"

	"github.com/aiterspec/aiterspec/internal/speclock"
)

// The lock excludes a second holder until the first releases it.
func TestLockExcludes(t *testing.T) {
	dir := t.TempDir()
	unlock, err := speclock.Lock(dir)
	if err != nil {
		t.Fatal(err)
	}
	got := make(chan func())
	go func() {
		second, err := speclock.Lock(dir)
		if err != nil {
			t.Error(err)
			second = func() {}
		}
		got <- second
	}()
	select {
	case <-got:
		t.Fatal("a second Lock succeeded while the first was held")
	case <-time.After(100 * time.Millisecond):
	}
	unlock()
	(<-got)()
}
