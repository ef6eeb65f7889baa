package chart

import (
	"errors"
	"fmt"
	"math"

	"gonum.org/v1/plot"
	"gonum.org/v1/plot/plotter"
	"gonum.org/v1/plot/vg"
	"gonum.org/v1/plot/vg/draw"
)

// Overall draws one rate (the county's) as a bar with its interval against
// the pass mark bar; the title should state the interval in words.
func Overall(title string, r Row, bar float64) (*Figure, error) {
	return build(title, []Row{r}, bar, style{bars: true, rowHeight: 1.3 * vg.Centimeter, radius: 4, width: 2, labelSize: 10})
}

// Intervals draws rates as bars with their 95% intervals against the pass
// mark bar, the first row at the top. Each bar is labelled with its rate.
func Intervals(title string, rows []Row, bar float64) (*Figure, error) {
	return build(title, rows, bar, style{bars: true, rowHeight: 0.75 * vg.Centimeter, radius: 3, width: 1.2, labelSize: 8})
}

// Dots draws rates as dots with their 95% intervals (a dot plot, for many
// rows such as schools), the first row at the top. The rates are written in
// a column right of 100%, clear of every interval: rows are close, and a
// label beside its own interval would run into the next row's.
func Dots(title string, rows []Row, bar float64) (*Figure, error) {
	return build(title, rows, bar, style{rowHeight: 0.5 * vg.Centimeter, radius: 2.5, width: 1, labelSize: 7, labelColumn: true})
}

// Percent formats a rate as a percentage with one decimal.
func Percent(x float64) string { return fmt.Sprintf("%.1f%%", x*100) }

// style is what differs between the chart kinds.
type style struct {
	bars      bool      // a bar from the axis start to the rate
	rowHeight vg.Length // vertical space of one row
	radius    vg.Length // of the dot at the rate
	width     vg.Length // of the interval line
	labelSize vg.Length
	// labelColumn writes the rate labels in a column right of 100% rather
	// than after each interval.
	labelColumn bool
}

// labelX is where a row's rate label starts: after its interval and dot, or
// in the column right of 100% (one, the axis position of 100%).
func (st style) labelX(hi, dot, one vg.Length) vg.Length {
	if st.labelColumn {
		return one + 4
	}
	return max(hi, dot+st.radius) + 4
}

func check(rows []Row) error {
	if len(rows) == 0 {
		return errors.New("chart: no rows to draw")
	}
	for _, r := range rows {
		for _, v := range []float64{r.Rate, r.Low, r.High} {
			if math.IsNaN(v) || v < 0 || v > 1 {
				return fmt.Errorf("chart: row %q: rate %v (%v, %v) outside [0, 1]", r.Label, r.Rate, r.Low, r.High)
			}
		}
	}
	return nil
}

func build(title string, rows []Row, bar float64, st style) (*Figure, error) {
	if err := check(rows); err != nil {
		return nil, err
	}
	p, err := newPlot(title)
	if err != nil {
		return nil, err
	}
	n := len(rows)
	start := axisStart(rows, bar)
	names := make([]string, n)
	for i, r := range rows {
		names[n-1-i] = r.Label
	}
	p.NominalY(names...)
	// Room right of 100% for the value labels; ticks stop at 100%.
	p.X.Min, p.X.Max = start, 1+0.1*(1-start)
	// Headroom above the top row for the pass-mark label: at least 0.55 cm.
	head := max(0.6, float64(0.55*vg.Centimeter/st.rowHeight))
	p.Y.Min, p.Y.Max = -0.5, float64(n)-0.5+head
	p.X.Tick.Marker = plot.TickerFunc(percentTicks)
	grid := plotter.NewGrid()
	grid.Horizontal.Width = 0
	grid.Vertical.Color = gridColor
	labels := make([]string, n)
	for i, r := range rows {
		labels[i] = Percent(r.Rate)
	}
	vs := p.Y.Tick.Label
	vs.Font.Size = st.labelSize
	vs.XAlign, vs.YAlign = draw.XLeft, draw.YCenter
	bs := vs
	bs.XAlign, bs.YAlign = draw.XCenter, draw.YCenter
	p.Add(grid, &intervals{rows: rows, start: start, bar: bar, st: st, labels: labels, text: vs},
		&passMark{bar: bar, top: float64(n) - 0.5 + head/2, text: bs})
	return &Figure{plot: p, Width: Width, Height: vg.Length(float64(n)-1+head)*st.rowHeight + 2.6*vg.Centimeter}, nil
}

// intervals draws row i at y = n−1−i: bar, interval with caps, dot, label.
type intervals struct {
	rows   []Row
	start  float64
	bar    float64
	st     style
	labels []string
	text   draw.TextStyle
}

func (iv *intervals) Plot(c draw.Canvas, p *plot.Plot) {
	trX, trY := p.Transforms(&c)
	n := len(iv.rows)
	half := (trY(1) - trY(0)) * 0.28
	for i, r := range iv.rows {
		y := trY(float64(n - 1 - i))
		line, fill := passColor, passFill
		if r.Rate < iv.bar {
			line, fill = failColor, failFill
		}
		if iv.st.bars {
			x0, x1 := trX(iv.start), trX(r.Rate)
			c.FillPolygon(fill, []vg.Point{{X: x0, Y: y - half}, {X: x1, Y: y - half}, {X: x1, Y: y + half}, {X: x0, Y: y + half}})
		}
		ls := draw.LineStyle{Color: line, Width: iv.st.width}
		lo, hi := trX(r.Low), trX(r.High)
		cap := half * 0.6
		c.StrokeLine2(ls, lo, y, hi, y)
		c.StrokeLine2(ls, lo, y-cap, lo, y+cap)
		c.StrokeLine2(ls, hi, y-cap, hi, y+cap)
		c.DrawGlyph(draw.GlyphStyle{Color: line, Radius: iv.st.radius, Shape: draw.CircleGlyph{}}, vg.Point{X: trX(r.Rate), Y: y})
		c.FillText(iv.text, vg.Point{X: iv.st.labelX(hi, trX(r.Rate), trX(1)), Y: y}, iv.labels[i])
	}
}

// passMark draws the dashed vertical line of the pass mark and its label.
type passMark struct {
	bar  float64
	top  float64 // y of the label, in data units
	text draw.TextStyle
}

func (pm *passMark) Plot(c draw.Canvas, p *plot.Plot) {
	trX, trY := p.Transforms(&c)
	x := trX(pm.bar)
	ls := draw.LineStyle{Color: barColor, Width: 1, Dashes: []vg.Length{4, 3}}
	c.StrokeLine2(ls, x, c.Min.Y, x, trY(pm.top)-5)
	t := pm.text
	t.Color = barColor
	c.FillText(t, vg.Point{X: x, Y: trY(pm.top)}, "达标线 "+fmt.Sprintf("%.0f%%", pm.bar*100))
}
