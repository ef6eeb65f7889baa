package demo

import (
	"fmt"
	"testing"

	"renke/sampling"
)

func TestScratch(t *testing.T) {
	f := Frame()
	if err := f.Validate(); err != nil {
		t.Fatal(err)
	}
	pupils := 0
	byU := map[string]int{}
	for _, s := range f.Schools {
		pupils += s.Pupils()
		byU[string(s.Urbanicity)]++
	}
	fmt.Println("schools", len(f.Schools), byU, "pupils", pupils)
	seed := int64(1)
	p, err := sampling.MakePlan(f, sampling.Options{Seed: &seed})
	if err != nil {
		t.Fatal(err)
	}
	fmt.Println("total", p.Total, p.ByGroup, "schools drawn", len(p.Schools))
	for _, s := range p.Schools {
		fmt.Println(s.Name, s.Urbanicity, s.Total, s.Quotas)
	}
	fmt.Println(p.CountyQuotas)
	fmt.Println(len(p.CodeSpecs()))
}
