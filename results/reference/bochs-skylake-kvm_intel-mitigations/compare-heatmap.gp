# vmexit-bench: benchmarks x runs, colour = ratio to the baseline
# Re-render from this directory: gnuplot compare-heatmap.gp
# Other format: gnuplot -e "fmt='svg'" compare-heatmap.gp (png, svg, pdf)
# Column width (3.5 in) instead of page width (7 in): -e "size='column'"
if (!exists("fmt")) fmt = 'png'
if (!exists("size")) size = 'page'
if (!exists("outfile")) outfile = 'compare-heatmap' . (size eq 'column' ? '-column.' : '.') . fmt
rows = 9
w = (size eq 'column') ? 3.5 : 7.0
h = (rows > 0) ? (((size eq 'column') ? 1.1 : 1.5) + rows * ((size eq 'column') ? 0.16 : 0.2)) : ((size eq 'column') ? 2.6 : 3.6)
h = (h < 2.0) ? 2.0 : h
fs = (size eq 'column') ? 7 : 9
if (fmt eq 'png') set terminal pngcairo noenhanced size w*150, h*150 font sprintf(',%d', fs*150/72.0) linewidth 1.5
if (fmt eq 'svg') set terminal svg noenhanced size w*96, h*96 dynamic font sprintf(',%d', fs*96/72.0)
if (fmt eq 'pdf') set terminal pdfcairo noenhanced size w, h font sprintf(',%d', fs)
set output outfile
set datafile missing '-'
fscale = (fmt eq 'png') ? 150 / 72.0 : (fmt eq 'svg') ? 96 / 72.0 : 1
set lmargin at screen ((12 * (fs - 1) * 0.8 / 72.0 + 0.3) / w)
set rmargin at screen 0.80
set tmargin at screen 1 - 0.75 / h
set bmargin at screen 1.3 / h
set label 2 "median / median of 6.1.0-57-amd64_mitigations=off\n*: significant at 95%" at screen 0.1 / w, screen 1 - 0.15 / h left front
set xrange [-0.5:3 - 0.5]
set yrange [3 - 0.5:-0.5]
set xtics rotate by 30 right scale 0 ('6.1.0-57-amd64_mitigatio' 0, '6.12.118+deb12-amd64_mit' 1, '6.12.118+deb12-amd64_mit' 2)
yfont = sprintf(',%g', (fs - 1) * fscale)
set ytics scale 0 font yfont
set ytics ('cpuid' 0, 'pio_out_user' 1, 'vmcall' 2)
set palette defined (-1 '#2166AC', 0 '#F7F7F7', 1 '#B2182B')
set cbrange [-1:1]
set colorbox user origin screen 0.84, screen 1.3 / h size screen 0.03, screen (h - 2.05) / h
set cbtics ("≤ 0.5" -1, "0.8" -0.321928, "1" 0, "1.25" 0.321928, "≥ 2" 1)
set cblabel 'ratio (log)'
unset key
plot 'compare-heatmap.dat' using 1:2:3 with image, \
     '' using 1:2:5 with labels
