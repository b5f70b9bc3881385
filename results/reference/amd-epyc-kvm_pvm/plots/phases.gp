# vmexit-bench: exit/handler/entry split, stacked medians
# Re-render from this directory: gnuplot phases.gp
# Other format: gnuplot -e "fmt='svg'" phases.gp (png, svg, pdf)
if (!exists("fmt")) fmt = 'png'
if (!exists("outfile")) outfile = 'phases.' . fmt
if (fmt eq 'png') set terminal pngcairo noenhanced size 1200,700 font ',10'
if (fmt eq 'svg') set terminal svg noenhanced size 1200,700 dynamic font ',10'
if (fmt eq 'pdf') set terminal pdfcairo noenhanced size 8in,4.7in font ',9'
set output outfile
set datafile missing '-'
set title 'Where an exit''s time goes (medians per phase) - AMD EPYC (AMD family 26 model 2), Linux 6.18.44-fc-v657, kvm_pvm'
set ylabel 'TSC ticks (median per phase; x = median total)'
set yrange [0:*]
set offsets 0, 0, graph 0.08, 0
set grid ytics
tsc_khz = 2596096.000
set link y2 via y * 1e6 / tsc_khz inverse y * tsc_khz / 1e6
set y2tics format '%.0f'
set y2label 'ns'
set ytics nomirror
set style data histograms
set style histogram rowstacked
set style fill solid 0.7 border -1
set boxwidth 0.6
set xtics rotate by -30
set key outside right top
plot 'phases.dat' using 2:xtic(1) title 'exit', '' using 3 title 'handler', \
     '' using 4 title 'entry', \
     '' using 0:5 with points pt 2 ps 1.5 lc rgb 'black' title 'total'
