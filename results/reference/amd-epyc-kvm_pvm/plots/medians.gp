# vmexit-bench: median cost per benchmark, 95% CI error bars
# Re-render from this directory: gnuplot medians.gp
# Other format: gnuplot -e "fmt='svg'" medians.gp (png, svg, pdf)
if (!exists("fmt")) fmt = 'png'
if (!exists("outfile")) outfile = 'medians.' . fmt
if (fmt eq 'png') set terminal pngcairo noenhanced size 1200,700 font ',10'
if (fmt eq 'svg') set terminal svg noenhanced size 1200,700 dynamic font ',10'
if (fmt eq 'pdf') set terminal pdfcairo noenhanced size 8in,4.7in font ',9'
set output outfile
set datafile missing '-'
set title 'Median VM-exit cost (95% bootstrap CI) - AMD EPYC (AMD family 26 model 2), Linux 6.18.44-fc-v657, kvm_pvm'
set ylabel 'TSC ticks'
set yrange [0:*]
set offsets 0, 0, graph 0.08, 0
set grid ytics
tsc_khz = 2596096.000
set link y2 via y * 1e6 / tsc_khz inverse y * tsc_khz / 1e6
set y2tics format '%.0f'
set y2label 'ns'
set ytics nomirror
set style data histograms
set style histogram errorbars gap 1 lw 1
set style fill solid 0.6 border -1
set boxwidth 0.8
set xtics rotate by -30
unset key
plot 'medians.dat' using 2:3:4:xtic(1) lc rgb '#3465a4'
