package registry

import "sync"

// keyedMutex is a set of mutexes, one per key in use.
type keyedMutex struct {
	mu    sync.Mutex
	locks map[string]*keyLock
}

type keyLock struct {
	mu    sync.Mutex
	users int
}

func (k *keyedMutex) acquire(key string) *keyLock {
	k.mu.Lock()
	defer k.mu.Unlock()
	if k.locks == nil {
		k.locks = map[string]*keyLock{}
	}
	l := k.locks[key]
	if l == nil {
		l = &keyLock{}
		k.locks[key] = l
	}
	l.users++
	return l
}

func (k *keyedMutex) release(key string, l *keyLock) {
	k.mu.Lock()
	defer k.mu.Unlock()
	l.users--
	if l.users == 0 {
		delete(k.locks, key)
	}
}

// Lock locks key and returns its unlock function.
func (k *keyedMutex) Lock(key string) (unlock func()) {
	l := k.acquire(key)
	l.mu.Lock()
	return func() { l.mu.Unlock(); k.release(key, l) }
}

// TryLock locks key if no one holds it.
func (k *keyedMutex) TryLock(key string) (unlock func(), ok bool) {
	l := k.acquire(key)
	if !l.mu.TryLock() {
		k.release(key, l)
		return nil, false
	}
	return func() { l.mu.Unlock(); k.release(key, l) }, true
}
