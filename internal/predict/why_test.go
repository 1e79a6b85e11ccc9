package predict

import "testing"

func TestOrdinal(t *testing.T) {
	for n, want := range map[int]string{1: "1st", 2: "2nd", 3: "3rd", 4: "4th", 11: "11th", 12: "12th", 13: "13th", 21: "21st", 102: "102nd"} {
		if got := ordinal(n); got != want {
			t.Errorf("ordinal(%d) = %q, want %q", n, got, want)
		}
	}
}

func TestPhraseLang(t *testing.T) {
	p := phrase{EN: "kill", ZH: "终止"}
	if in(p, Chinese) != "终止" || in(p, English) != "kill" || in(phrase{EN: "only"}, Chinese) != "only" {
		t.Errorf("phrase.in picks the wrong language or does not fall back to English")
	}
}
