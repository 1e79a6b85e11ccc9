// Package bilingual holds a sentence in English and in Chinese. The seed
// chapter is Chinese and a classroom demo speaks either (--lang), so what
// the predictor explains and the verdict finds is said in both, and the
// language is chosen only when it is shown.
package bilingual

import "fmt"

// Text is one sentence in both languages.
type Text struct{ EN, ZH string }

// Say formats both languages with the same arguments; an argument that is a
// Text itself goes in its own language. Chinese word order may differ: use
// explicit argument indexes (%[2]s).
func Say(en, zh string, args ...any) Text {
	in := func(chinese bool) []any {
		out := make([]any, len(args))
		for i, a := range args {
			if t, ok := a.(Text); ok {
				a = t.EN
				if chinese {
					a = t.Chinese()
				}
			}
			out[i] = a
		}
		return out
	}
	return Text{fmt.Sprintf(en, in(false)...), fmt.Sprintf(zh, in(true)...)}
}

// Plus appends a clause in both languages.
func (t Text) Plus(u Text) Text { return Text{t.EN + u.EN, t.Chinese() + u.Chinese()} }

// Chinese is the Chinese, or the English where none was given.
func (t Text) Chinese() string {
	if t.ZH == "" {
		return t.EN
	}
	return t.ZH
}

// Join joins texts with a separator of each language.
func Join(ts []Text, en, zh string) Text {
	var out Text
	for i, t := range ts {
		if i > 0 {
			out = out.Plus(Text{en, zh})
		}
		out = out.Plus(t)
	}
	return out
}

// probes are the probe types as the kubelet's messages name them and as the
// seed chapter does.
var probes = map[string]string{"Liveness": "存活探针", "Readiness": "就绪探针", "Startup": "启动探针"}

// Probe names a probe type ("Liveness", "Readiness", "Startup") in both
// languages; another name stays as it is.
func Probe(name string) Text { return Text{EN: name, ZH: probes[name]} }
