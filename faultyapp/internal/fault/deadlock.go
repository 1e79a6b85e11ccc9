package fault

import "sync"

// lockPair is the deadlock fault: two mutexes guarding two pieces of state
// (think "accounts" and "audit log") that the request path takes in opposite
// orders from two goroutines, the classic lock-order inversion.
//
// Go's runtime only reports "all goroutines are asleep" when nothing at all
// can run; the HTTP listener and the signal handler stay alive, so the
// process keeps running with its request path stuck, as a deadlocked JVM
// does. No sleeps: a rendezvous makes the bad interleaving certain instead
// of likely.
type lockPair struct {
	accounts, audit sync.Mutex
}

// enter never returns once the fault has begun. The first call deadlocks the
// pair for good; every later call blocks behind the held mutexes.
func (l *lockPair) enter() {
	tookAccounts, tookAudit := make(chan struct{}), make(chan struct{})
	go func() { // e.g. a background worker: accounts, then audit
		l.accounts.Lock()
		close(tookAccounts)
		<-tookAudit
		l.audit.Lock() // held by the request below: blocks for ever
		//lint:ignore SA2001 the deadlock is the point: this Lock never returns
		l.audit.Unlock()
		l.accounts.Unlock()
	}()
	// the request itself: audit, then accounts
	l.audit.Lock()
	close(tookAudit)
	<-tookAccounts
	l.accounts.Lock() // held by the worker above: blocks for ever
	//lint:ignore SA2001 the deadlock is the point: this Lock never returns
	l.accounts.Unlock()
	l.audit.Unlock()
}
