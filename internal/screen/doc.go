// Package screen renders probedrill for people: the catalog, a prediction,
// and the live demo (predicted vs observed timeline, restart counter, the
// pod's events as `kubectl describe` prints them, a one-line explanation of
// each, then the verdict and the kubectl commands a student can type).
//
// Rendering is pure: every function takes what to show (a Show), what was
// observed so far (a Snapshot, which carries its own clock) and the size of
// the screen, and returns text. The drivers are thin: Printer appends plain
// lines (no colours, no escape codes) for logs, CI and `--plain`; Program
// redraws the screen in place on a terminal.
//
// English and Chinese: the Chinese words follow the seed chapter (存活探针,
// 重启, 退出码, 容器, 宽限期); kubelet event reasons, kubectl columns and
// commands stay as Kubernetes prints them, since that is what students see.
package screen
