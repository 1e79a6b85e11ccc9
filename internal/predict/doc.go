// Package predict is probedrill's model of the kubelet: from a scenario
// (faultyapp's fault, the probes, the grace period, the restart policy) and
// the cluster's facts (Kubelet), it predicts the pod's timeline — failed
// probes, kills, exits, CrashLoopBackOff hold-backs and restarts — each
// entry with a nominal time, a tolerance window and a one-line Why.
//
//	p, err := predict.Predict(s, predict.DefaultKubelet(), predict.WithLang(predict.Chinese))
//	lo, hi := p.RestartsAt(3 * time.Minute)
//	deadline, err := p.DrillDuration(2)
//
// The model is a discrete-event simulation of what Kubernetes v1.37.2 does
// (paths in k8s.io/kubernetes unless said otherwise):
//
//   - Prober workers (pkg/kubelet/prober/worker.go, prober_manager.go): one
//     per probe for the pod's life, ticking every periodSeconds from when the
//     pod was added, so the phase survives restarts. A tick probes only if
//     the status shows a running container, int(seconds since StartedAt) ≥
//     initialDelaySeconds, and the startup probe has passed (liveness,
//     readiness) or not yet (startup). A verdict needs failureThreshold
//     (successThreshold) results in a row; after a liveness failure or any
//     startup verdict the worker holds until a new container ID. Readiness
//     is also probed on demand whenever the kubelet builds the status of a
//     started, not-ready container (UpdatePodStatus), which resets its phase.
//   - Kill (kuberuntime_manager.go computePodActions, SyncPod;
//     kuberuntime_container.go killContainer, setTerminationGracePeriod):
//     SIGTERM, then SIGKILL after the probe's terminationGracePeriodSeconds,
//     else the pod's, never below 2 s. The same sync then starts the new
//     container.
//   - CrashLoopBackOff (kuberuntime_manager.go doBackOff, kubelet.go
//     newCrashLoopBackOff, client-go util/flowcontrol/backoff.go): before a
//     start, the kubelet checks whether less than the current back-off has
//     passed since the FinishedAt of the newest exited container in the
//     status the sync began with; if so it waits, otherwise it starts and
//     doubles the back-off (10 s … MaxContainerRestartPeriod, default 300 s).
//     For a liveness kill that status predates the kill, so the check is
//     against the container before: restarts 1 and 2 never wait, and restart
//     k ≥ 3 waits only if 10 s·2^(k−3) exceeds one container lifetime —
//     then for the full back-off from the kill. A crash is seen by the PLEG
//     after the exit, so it waits 0, 10, 20 … s. A back-off not touched for
//     600 s is forgotten (HasExpiredFunc, crashLoopBackOff.GC), which resets
//     it for containers that ran over 10 minutes.
//   - Pod worker (pod_workers.go completeWork): while backing off it
//     re-syncs at the back-off's end, at most every syncFrequency, with up to
//     +50 % jitter, on the sync loop's 1 s tick: delays are never shorter
//     than nominal and overshoot by at most half the last requeue.
//   - Events (client-go tools/record/events_cache.go): the kubelet's spam
//     filter passes 25 events per pod and type, then one per 5 minutes.
//   - faultyapp (faultyapp/internal/fault, server): every HTTP and gRPC
//     request counts, probes included; see app.go.
//
// Windows: the simulation runs with each uncertain latency (Kubelet's
// spans) at its smallest, usual and largest, alone and together, with
// near-ties between a lifetime and a back-off resolved both ways; an
// entry's window is the spread of its counterparts. Windows bound true
// times: whoever compares them with API timestamps adds their one-second
// resolution (internal/verdict does; Kubelet.TimestampSlack can too).
package predict
