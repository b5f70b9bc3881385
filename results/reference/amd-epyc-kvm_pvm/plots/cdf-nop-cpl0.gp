# vmexit-bench: distribution (CDF) of one benchmark's samples
# Re-render from this directory: gnuplot cdf-nop-cpl0.gp
# Other format: gnuplot -e "fmt='svg'" cdf-nop-cpl0.gp (png, svg, pdf)
if (!exists("fmt")) fmt = 'png'
if (!exists("outfile")) outfile = 'cdf-nop-cpl0.' . fmt
if (fmt eq 'png') set terminal pngcairo noenhanced size 1200,700 font ',10'
if (fmt eq 'svg') set terminal svg noenhanced size 1200,700 dynamic font ',10'
if (fmt eq 'pdf') set terminal pdfcairo noenhanced size 8in,4.7in font ',9'
set output outfile
set datafile missing '-'
set title 'CDF of nop cpl0 (emulated), 20000 samples - AMD EPYC (AMD family 26 model 2), Linux 6.18.44-fc-v657, kvm_pvm'
set xlabel 'TSC ticks (timer floor of 8346.0 ticks subtracted)'
set ylabel 'fraction of samples'
set yrange [0:1]
set grid
unset key
tsc_khz = 2596096.000
set link x2 via x * 1e6 / tsc_khz inverse x * tsc_khz / 1e6
set x2tics format '%.0f'
set x2label 'ns'
set xtics nomirror
median = 0
set arrow from median, graph 0 to median, graph 1 nohead dt 2 lc rgb 'gray40'
set label 'median' at median, graph 0.05 offset 0.5,0
plot 'cdf-nop-cpl0.dat' using 1:2 with steps lw 2 lc rgb '#3465a4'
