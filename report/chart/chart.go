// Package chart draws the recognition report's charts with gonum/plot: the
// overall rate against the pass mark, rates with their 95% intervals, and a
// dot plot of schools. Figures render to SVG (for HTML) and PNG (for PDF),
// with Chinese labels set in the embedded CJK font.
package chart

import (
	"bytes"
	"fmt"
	"image/color"
	"math"
	"strings"

	xfont "golang.org/x/image/font"
	"gonum.org/v1/plot"
	"gonum.org/v1/plot/font"
	"gonum.org/v1/plot/vg"
	"gonum.org/v1/plot/vg/draw"
	"gonum.org/v1/plot/vg/vgimg"
	"gonum.org/v1/plot/vg/vgsvg"
)

// Row is one rate with its 95% interval, as a chart shows it.
type Row struct {
	Label string
	Rate  float64
	Low   float64
	High  float64
}

// Figure is a plot with the size it is drawn at.
type Figure struct {
	plot          *plot.Plot
	Width, Height vg.Length
}

// Width is the width every figure is drawn at: the text width of an A4 page.
const Width = 16 * vg.Centimeter

// Colours of the charts: rows at or above the bar, rows below it, the bar.
var (
	passColor  = color.RGBA{R: 0x2b, G: 0x6c, B: 0xb0, A: 0xff}
	failColor  = color.RGBA{R: 0xc5, G: 0x30, B: 0x30, A: 0xff}
	passFill   = color.RGBA{R: 0xbe, G: 0xd7, B: 0xee, A: 0xff}
	failFill   = color.RGBA{R: 0xf3, G: 0xc4, B: 0xc4, A: 0xff}
	barColor   = color.RGBA{R: 0x33, G: 0x33, B: 0x33, A: 0xff}
	gridColor  = color.RGBA{R: 0xdd, G: 0xdd, B: 0xdd, A: 0xff}
	labelColor = color.RGBA{R: 0x22, G: 0x22, B: 0x22, A: 0xff}
)

func sinCos(a float64) (vg.Length, vg.Length) {
	s, c := math.Sincos(a)
	return vg.Length(s), vg.Length(c)
}

// newPlot makes a plot whose every text is set by the run handler.
func newPlot(title string) (*plot.Plot, error) {
	if err := load(); err != nil {
		return nil, err
	}
	h := handler{cache: faceCache}
	p := plot.New()
	p.TextHandler = h
	for _, st := range []*font.Font{&p.Title.TextStyle.Font, &p.X.Label.TextStyle.Font, &p.Y.Label.TextStyle.Font,
		&p.X.Tick.Label.Font, &p.Y.Tick.Label.Font, &p.Legend.TextStyle.Font} {
		*st = font.Font{Typeface: latinFace, Size: st.Size}
	}
	p.Title.TextStyle.Handler, p.X.Label.TextStyle.Handler, p.Y.Label.TextStyle.Handler = h, h, h
	p.X.Tick.Label.Handler, p.Y.Tick.Label.Handler, p.Legend.TextStyle.Handler = h, h, h
	p.Title.Text = title
	p.Title.TextStyle.Font.Size = 11
	p.Title.TextStyle.Font.Weight = xfont.WeightBold
	p.Title.Padding = 6
	p.X.Tick.Label.Font.Size = 9
	p.Y.Tick.Label.Font.Size = 9
	p.X.Label.TextStyle.Font.Size = 9
	p.X.Tick.Label.Color, p.Y.Tick.Label.Color = labelColor, labelColor
	return p, nil
}

// percentTicks labels every 10 points (every 5 when the axis spans at most
// 30), with unlabelled minor ticks halfway.
func percentTicks(lo, hi float64) []plot.Tick {
	hi = math.Min(hi, 1)
	step := 0.1
	if hi-lo <= 0.3+1e-9 {
		step = 0.05
	}
	var ticks []plot.Tick
	for k := math.Ceil(lo/step*2 - 1e-9); k/2*step <= hi+1e-9; k++ {
		v := k / 2 * step
		label := ""
		if int(k)%2 == 0 {
			label = fmt.Sprintf("%.0f%%", v*100)
		}
		ticks = append(ticks, plot.Tick{Value: v, Label: label})
	}
	return ticks
}

// axisStart is where a rate axis starts: 50%, or lower (in steps of 10
// points) when an interval reaches below 52%.
func axisStart(rows []Row, bar float64) float64 {
	lo := math.Min(0.5, bar)
	for _, r := range rows {
		lo = math.Min(lo, r.Low)
	}
	if lo >= 0.5 {
		return 0.5
	}
	return math.Max(0, math.Floor((lo-0.02)*10)/10)
}

// SVG draws the figure as an SVG element for inlining into HTML: no XML
// prolog, fonts named with fallbacks that browsers have.
func (f *Figure) SVG() ([]byte, error) {
	c := vgsvg.New(f.Width, f.Height)
	f.plot.Draw(draw.New(c))
	var buf bytes.Buffer
	if _, err := c.WriteTo(&buf); err != nil {
		return nil, fmt.Errorf("chart: write SVG: %w", err)
	}
	s := buf.String()
	if i := strings.Index(s, "<svg"); i > 0 {
		s = s[i:]
	}
	s = svgFamilies.Replace(s)
	return []byte(s), nil
}

// svgFamilies widens the font plot names into a CSS font stack: Arial has
// the metrics of Liberation Sans; Chinese takes any Chinese system font.
var svgFamilies = strings.NewReplacer(
	"font-family:Liberation Sans;", "font-family:'Liberation Sans',Arial,Helvetica,'Droid Sans Fallback','Noto Sans CJK SC','Source Han Sans SC','PingFang SC','Microsoft YaHei',sans-serif;",
)

// PNG draws the figure as a PNG image at dpi dots per inch.
func (f *Figure) PNG(dpi int) ([]byte, error) {
	c := vgimg.NewWith(vgimg.UseWH(f.Width, f.Height), vgimg.UseDPI(dpi), vgimg.UseBackgroundColor(color.White))
	f.plot.Draw(draw.New(c))
	var buf bytes.Buffer
	if _, err := (vgimg.PngCanvas{Canvas: c}).WriteTo(&buf); err != nil {
		return nil, fmt.Errorf("chart: write PNG: %w", err)
	}
	return buf.Bytes(), nil
}
