// Package demo builds a living synthetic county for `renke demo`: its
// sampling frame, a drawn plan, an open survey with codes, and simulated
// responses whose answers differ by group, dimension and school, with a few
// injected problems for the data-quality rules to find. It also holds the
// HTTP response simulator of `renke simulate`. Everything but the store calls
// is plain Go and deterministic for a seed.
package demo

import (
	"fmt"
	"math"
	"math/rand/v2"

	"renke/sampling"
	"renke/survey"
)

// CountyName is the demo county's name (fictional).
const CountyName = "青禾县"

// CountyCode is the demo county's six-digit code; the province prefix 99 does
// not exist, so it cannot be mistaken for a real county.
const CountyCode = "990101"

// countySeed fixes the synthetic county: every demo seed samples the same county.
const countySeed = 0x71696e6768 // "qingh"

// The county's townships. Streets (街道) make up the urban stratum; the seat
// of each town (镇) is in the town stratum and its villages are rural; the
// seat and villages of a township (乡) are rural.
var (
	streets   = []string{"城东街道", "城西街道", "城南街道", "城北街道"}
	towns     = []string{"青山镇", "石桥镇", "龙潭镇", "白沙镇", "双河镇", "永兴镇", "清水镇", "桃源镇", "新华镇", "太平镇", "金竹镇", "马鞍镇"}
	townships = []string{"红岩乡", "高峰乡", "安乐乡", "凤凰乡"}
	villages  = []string{"石坝", "杨柳", "黄桷", "松林", "大湾", "小河", "竹园", "新村", "柏树", "桂花", "长岭", "梨树",
		"中坝", "河坝", "水井", "庙坝", "茶园", "花园", "高洞", "龙井", "枣子", "马家", "李家", "张家", "王家", "刘家",
		"陈家", "何家", "田坝", "沙坪", "团结", "光明", "红星", "先锋", "前进", "和平", "金星", "联合", "白果", "青杠"}
)

// frameBuilder accumulates the schools of the synthetic county.
type frameBuilder struct {
	rng     *rand.Rand
	schools []sampling.School
	village int
}

// Frame returns the demo county's sampling frame: about 700,000 residents,
// some 120 compulsory schools over 城区, 镇区 and 乡村, 248 deputies and 203
// CPPCC members. It is the same on every call.
func Frame() *sampling.Frame {
	b := &frameBuilder{rng: rand.New(rand.NewPCG(countySeed, 1))}
	for i, st := range streets {
		b.add("县第"+cnNum(2*i+1)+"小学", st, survey.Urban, sampling.Primary, 1500, 2600)
		b.add("县第"+cnNum(2*i+2)+"小学", st, survey.Urban, sampling.Primary, 1200, 2200)
		b.add(trimStreet(st)+"中学", st, survey.Urban, sampling.Junior, 1300, 2100)
	}
	b.add("县实验小学", streets[0], survey.Urban, sampling.Primary, 2200, 2900)
	b.add("县实验中学", streets[1], survey.Urban, sampling.Junior, 1800, 2500)
	b.add("县第一中学", streets[2], survey.Urban, sampling.Junior, 1500, 2200)
	b.add("青禾外国语学校", streets[3], survey.Urban, sampling.Twelve, 1400, 2000)
	for i, t := range towns {
		b.add(t+"中心小学", t, survey.Town, sampling.Primary, 550, 1150)
		b.add(t+"中学", t, survey.Town, sampling.Junior, 450, 1050)
		if i%4 == 0 {
			b.add(t+"第二小学", t, survey.Town, sampling.Primary, 400, 800)
		}
		for v := 0; v < 4+i%3; v++ {
			b.addVillage(t)
		}
		if i%3 == 1 {
			b.add(t+b.nextVillage()+"九年一贯制学校", t, survey.Rural, sampling.Nine, 300, 600)
		}
	}
	for _, t := range townships {
		b.add(t+"九年一贯制学校", t, survey.Rural, sampling.Nine, 250, 600)
		for v := 0; v < 3; v++ {
			b.addVillage(t)
		}
	}
	return &sampling.Frame{
		County: sampling.County{Name: CountyName, Population: 702365, Urban: 283710, Town: 229160, Rural: 189495,
			Deputies: 248, CPPCC: 203},
		Schools: b.schools,
	}
}

// addVillage adds a village primary school; one in four is a small teaching
// point (教学点) with grades 1–3 only.
func (b *frameBuilder) addVillage(township string) {
	name := township + b.nextVillage() + "小学"
	if b.rng.IntN(4) == 0 {
		b.addSchool(name, township, survey.Rural, sampling.Primary, 15, 60, 3)
		return
	}
	b.add(name, township, survey.Rural, sampling.Primary, 80, 320)
}

func (b *frameBuilder) nextVillage() string {
	// Village names recur across townships, as they do in real counties.
	v := villages[b.village%len(villages)]
	b.village++
	return v
}

func (b *frameBuilder) add(name, township string, u survey.Urbanicity, t sampling.SchoolType, lo, hi int) {
	b.addSchool(name, township, u, t, lo, hi, 9)
}

// addSchool adds a school of lo..hi pupils spread over its grades up to maxGrade,
// with teachers by a pupil–teacher ratio and one to four principals.
func (b *frameBuilder) addSchool(name, township string, u survey.Urbanicity, t sampling.SchoolType, lo, hi, maxGrade int) {
	s := sampling.School{Code: fmt.Sprintf("21990%05d", len(b.schools)+1), Name: name, Township: township, Urbanicity: u, Type: t}
	total := lo + b.rng.IntN(hi-lo+1)
	var grades []int
	for g := 1; g <= maxGrade; g++ {
		if t.HasGrade(g) {
			grades = append(grades, g)
		}
	}
	for _, g := range grades {
		share := float64(total) / float64(len(grades)) * (0.9 + 0.2*b.rng.Float64())
		s.Enrolment[g-1] = max(1, int(math.Round(share)))
	}
	ratio := map[survey.Urbanicity]float64{survey.Urban: 17, survey.Town: 14, survey.Rural: 11}[u]
	if t == sampling.Junior {
		ratio -= 4
	}
	s.Teachers = max(3, int(math.Round(float64(s.Pupils())/ratio)))
	switch p := s.Pupils(); {
	case p >= 1500:
		s.Principals = 3 + b.rng.IntN(2)
	case p >= 500:
		s.Principals = 2 + b.rng.IntN(2)
	case p >= 150:
		s.Principals = 1 + b.rng.IntN(2)
	default:
		s.Principals = 1
	}
	b.schools = append(b.schools, s)
}

// trimStreet turns 城东街道 into 城东.
func trimStreet(s string) string {
	r := []rune(s)
	return string(r[:len(r)-2])
}

// cnNum writes 1..10 in Chinese numerals.
func cnNum(n int) string {
	return []string{"零", "一", "二", "三", "四", "五", "六", "七", "八", "九", "十"}[n]
}
