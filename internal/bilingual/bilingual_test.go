package bilingual

import "testing"

func TestSayPutsEachArgumentInItsLanguage(t *testing.T) {
	kill := Text{"the kill", "终止"}
	got := Say("%s at %s", "%[2]s 时%[1]s", kill, "+30s")
	if got.EN != "the kill at +30s" || got.ZH != "+30s 时终止" {
		t.Errorf("got %+v", got)
	}
}

func TestChineseFallsBackToEnglish(t *testing.T) {
	only := Text{EN: "only English"}
	if only.Chinese() != "only English" || (Text{"a", "甲"}).Chinese() != "甲" {
		t.Error("Chinese() should fall back to EN only when ZH is empty")
	}
	// a clause without Chinese keeps its English inside a Chinese sentence
	if got := (Text{"a", "甲"}).Plus(only); got.ZH != "甲only English" || got.EN != "aonly English" {
		t.Errorf("Plus: %+v", got)
	}
}

func TestJoin(t *testing.T) {
	got := Join([]Text{{"one", "一"}, {"two", "二"}, {"three", "三"}}, ", ", "、")
	if got.EN != "one, two, three" || got.ZH != "一、二、三" {
		t.Errorf("got %+v", got)
	}
	if (Join(nil, ", ", "、") != Text{}) {
		t.Error("Join of nothing should be empty")
	}
}

func TestProbe(t *testing.T) {
	if got := Probe("Liveness"); got.ZH != "存活探针" || got.EN != "Liveness" {
		t.Errorf("got %+v", got)
	}
	if got := Probe("Other").Chinese(); got != "Other" {
		t.Errorf("an unknown type should stay as it is, got %q", got)
	}
}
