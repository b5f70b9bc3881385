# vmexit-bench: ratio of each run's median to the baseline's, exits and latencies apart
# Re-render from this directory: gnuplot compare.gp
# Other format: gnuplot -e "fmt='svg'" compare.gp (png, svg, pdf)
# Column width (3.5 in) instead of page width (7 in): -e "size='column'"
if (!exists("fmt")) fmt = 'png'
if (!exists("size")) size = 'page'
if (!exists("outfile")) outfile = 'compare' . (size eq 'column' ? '-column.' : '.') . fmt
rows = 79
w = (size eq 'column') ? 3.5 : 7.0
h = (rows > 0) ? (((size eq 'column') ? 1.1 : 1.5) + rows * ((size eq 'column') ? 0.16 : 0.2)) : ((size eq 'column') ? 2.6 : 3.6)
h = (h < 2.0) ? 2.0 : h
fs = (size eq 'column') ? 7 : 9
if (fmt eq 'png') set terminal pngcairo noenhanced size w*150, h*150 font sprintf(',%d', fs*150/72.0) linewidth 1.5
if (fmt eq 'svg') set terminal svg noenhanced size w*96, h*96 dynamic font sprintf(',%d', fs*96/72.0)
if (fmt eq 'pdf') set terminal pdfcairo noenhanced size w, h font sprintf(',%d', fs)
set output outfile
set datafile missing '-'
# Inches from the top: the key, then each panel (a title, its rows, x tics).
rh = (size eq 'column') ? 0.16 : 0.2
line = fs * 1.4 / 72.0
gap = 2.2 * line + 0.2
kcols = (size eq 'column') ? 2 : 3
ytop = 0.15 + line * ceil(3 / (kcols * 1.0)) + 1.3 * line
# Left margin: the longest benchmark name at this font size.
set lmargin at screen ((27 * (fs - 1) * 0.8 / 72.0 + 0.3) / w)
set rmargin at screen 1 - 0.15 / w
xl = "6.1.0-57-amd64_mitigations=off"
xl = 'median / median of ' . xl . ' (log scale)' . "\n" . 'filled: significant at 95%; whiskers: 95% CI'
# Benchmark names a point smaller than the rest, in the terminal's font units.
fscale = (fmt eq 'png') ? 150 / 72.0 : (fmt eq 'svg') ? 96 / 72.0 : 1
yfont = sprintf(',%g', (fs - 1) * fscale)
set ytics font yfont
set logscale x 10
set xrange [0.269334:3.71287]
set xtics ("1" 1, "2" 2, "0.5" 0.5)
set grid xtics
set ytics nomirror scale 0
set bars small
set arrow 1 from 1, graph 0 to 1, graph 1 nohead lc rgb 'black' dt 2
set key at screen 0.5, screen 1 - 0.1 / h center top horizontal maxcols kcols samplen 1 box
set multiplot
set tmargin at screen (h - ytop) / h
set bmargin at screen (h - ytop - 53 * rh) / h
set yrange [53 - 0.5:-0.5]
set ytics ('cpuid' 0, 'pio_out_user' 1, 'pio_in_user' 2, 'mmio_write_user' 3, 'mmio_read_user' 4, 'pio_out_user_1' 5, 'pio_out_user_2' 6, 'pio_in_user_1' 7, 'pio_in_user_2' 8, 'mmio_write_user_1' 9, 'mmio_write_user_2' 10, 'mmio_write_user_8' 11, 'rep_outsb' 12, 'rep_insb' 13, 'hlt_user' 14, 'rdmsr_user' 15, 'wrmsr_user' 16, 'vmcall' 17, 'rdmsr_kernel' 18, 'wrmsr_kernel' 19, 'cpuid_0' 20, 'cpuid_1' 21, 'cpuid_7' 22, 'cpuid_b' 23, 'cpuid_d' 24, 'cpuid_hv' 25, 'pio_out_kernel' 26, 'pio_out_kernel_datamatch' 27, 'mmio_write_kernel' 28, 'mmio_write_kernel_datamatch' 29, 'ept_fault_in' 30, 'rdmsr_efer' 31, 'wrmsr_ignored' 32, 'monitor' 33, 'mwait' 34, 'sgdt' 35, 'sidt' 36, 'sldt' 37, 'str' 38, 'lgdt' 39, 'lidt' 40, 'vmread' 41, 'vmwrite' 42, 'vmptrld' 43, 'vmclear' 44, 'pio_in_kernel' 45, 'pio_out_kernel_pic' 46, 'x2apic_self_ipi' 47, 'x2apic_icr_self_ipi' 48, 'apic_eoi' 49, 'tsc_deadline_immediate' 50, 'apic_mmio_read' 51, 'xapic_self_ipi' 52)
set label 1 'Exits' at screen 0.1 / w, graph 1 offset 0, 0.7 left
set format x ''
plot 'compare.dat' using ($1 == 0 && $6 == 1 ? $3 : 1/0):2:4:5 with xerrorbars pt 0 lc rgb '#0072B2' notitle, \
     'compare.dat' using ($1 == 0 && $6 == 1 && $7 > 0 ? $3 : 1/0):2 with points pt 7 ps 1.1 lc rgb '#0072B2' title (1 ? '6.1.0-57-am~gations=auto' : ''), \
     'compare.dat' using ($1 == 0 && $6 == 1 && $7 == 0 ? $3 : 1/0):2 with points pt 6 ps 1.1 lc rgb '#0072B2' notitle, \
     'compare.dat' using ($1 == 0 && $6 == 2 ? $3 : 1/0):2:4:5 with xerrorbars pt 0 lc rgb '#D55E00' notitle, \
     'compare.dat' using ($1 == 0 && $6 == 2 && $7 > 0 ? $3 : 1/0):2 with points pt 5 ps 1.1 lc rgb '#D55E00' title (1 ? '6.12.118+de~igations=off' : ''), \
     'compare.dat' using ($1 == 0 && $6 == 2 && $7 == 0 ? $3 : 1/0):2 with points pt 4 ps 1.1 lc rgb '#D55E00' notitle, \
     'compare.dat' using ($1 == 0 && $6 == 3 ? $3 : 1/0):2:4:5 with xerrorbars pt 0 lc rgb '#009E73' notitle, \
     'compare.dat' using ($1 == 0 && $6 == 3 && $7 > 0 ? $3 : 1/0):2 with points pt 9 ps 1.1 lc rgb '#009E73' title (1 ? '6.12.118+de~gations=auto' : ''), \
     'compare.dat' using ($1 == 0 && $6 == 3 && $7 == 0 ? $3 : 1/0):2 with points pt 8 ps 1.1 lc rgb '#009E73' notitle
ytop = ytop + 53 * rh + gap
set key off
set tmargin at screen (h - ytop) / h
set bmargin at screen (h - ytop - 18 * rh) / h
set yrange [18 - 0.5:-0.5]
set ytics ('rep_outsb_64' 0, 'rep_insb_64' 1, 'ud2' 2, 'tscdeadline' 3, 'hlt_wakeup' 4, 'self_ipi_sti_nop' 5, 'self_ipi_sti_hlt' 6, 'self_ipi_tpr' 7, 'self_ipi_tpr_sti_nop' 8, 'self_ipi_tpr_sti_hlt' 9, 'x2apic_self_ipi_sti_nop' 10, 'x2apic_self_ipi_sti_hlt' 11, 'x2apic_self_ipi_tpr' 12, 'x2apic_self_ipi_tpr_sti_nop' 13, 'x2apic_self_ipi_tpr_sti_hlt' 14, 'io_latency_in' 15, 'vcpu_switch' 16, 'ple_round_robin' 17)
set label 1 'Latencies, bursts (not single exits)' at screen 0.1 / w, graph 1 offset 0, 0.7 left
set label 3 xl at screen 0.5, screen (h - ytop - 18 * rh - 2.4 * line) / h center
set format x '%g'
plot 'compare.dat' using ($1 == 1 && $6 == 1 ? $3 : 1/0):2:4:5 with xerrorbars pt 0 lc rgb '#0072B2' notitle, \
     'compare.dat' using ($1 == 1 && $6 == 1 && $7 > 0 ? $3 : 1/0):2 with points pt 7 ps 1.1 lc rgb '#0072B2' title (0 ? '6.1.0-57-am~gations=auto' : ''), \
     'compare.dat' using ($1 == 1 && $6 == 1 && $7 == 0 ? $3 : 1/0):2 with points pt 6 ps 1.1 lc rgb '#0072B2' notitle, \
     'compare.dat' using ($1 == 1 && $6 == 2 ? $3 : 1/0):2:4:5 with xerrorbars pt 0 lc rgb '#D55E00' notitle, \
     'compare.dat' using ($1 == 1 && $6 == 2 && $7 > 0 ? $3 : 1/0):2 with points pt 5 ps 1.1 lc rgb '#D55E00' title (0 ? '6.12.118+de~igations=off' : ''), \
     'compare.dat' using ($1 == 1 && $6 == 2 && $7 == 0 ? $3 : 1/0):2 with points pt 4 ps 1.1 lc rgb '#D55E00' notitle, \
     'compare.dat' using ($1 == 1 && $6 == 3 ? $3 : 1/0):2:4:5 with xerrorbars pt 0 lc rgb '#009E73' notitle, \
     'compare.dat' using ($1 == 1 && $6 == 3 && $7 > 0 ? $3 : 1/0):2 with points pt 9 ps 1.1 lc rgb '#009E73' title (0 ? '6.12.118+de~gations=auto' : ''), \
     'compare.dat' using ($1 == 1 && $6 == 3 && $7 == 0 ? $3 : 1/0):2 with points pt 8 ps 1.1 lc rgb '#009E73' notitle
ytop = ytop + 18 * rh + gap
unset multiplot
