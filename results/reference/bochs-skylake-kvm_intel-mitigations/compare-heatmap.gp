# vmexit-bench: benchmarks x runs, colour = ratio to the baseline
# Re-render from this directory: gnuplot compare-heatmap.gp
# Other format: gnuplot -e "fmt='svg'" compare-heatmap.gp (png, svg, pdf)
# Column width (3.5 in) instead of page width (7 in): -e "size='column'"
if (!exists("fmt")) fmt = 'png'
if (!exists("size")) size = 'page'
if (!exists("outfile")) outfile = 'compare-heatmap' . (size eq 'column' ? '-column.' : '.') . fmt
rows = 77
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
set lmargin at screen ((27 * (fs - 1) * 0.8 / 72.0 + 0.3) / w)
set rmargin at screen 0.80
set tmargin at screen 1 - 0.75 / h
set bmargin at screen 1.3 / h
set label 2 "median / median of 6.1.0-57-amd64_mitigations=off\n*: significant at 95%" at screen 0.1 / w, screen 1 - 0.15 / h left front
set xrange [-0.5:3 - 0.5]
set yrange [71 - 0.5:-0.5]
set xtics rotate by 30 right scale 0 ('6.1.0-57-am~gations=auto' 0, '6.12.118+de~igations=off' 1, '6.12.118+de~gations=auto' 2)
yfont = sprintf(',%g', (fs - 1) * fscale)
set ytics scale 0 font yfont
set ytics ('cpuid' 0, 'pio_out_user' 1, 'pio_in_user' 2, 'mmio_write_user' 3, 'mmio_read_user' 4, 'pio_out_user_1' 5, 'pio_out_user_2' 6, 'pio_in_user_1' 7, 'pio_in_user_2' 8, 'mmio_write_user_1' 9, 'mmio_write_user_2' 10, 'mmio_write_user_8' 11, 'rep_outsb' 12, 'rep_insb' 13, 'hlt_user' 14, 'rdmsr_user' 15, 'wrmsr_user' 16, 'vmcall' 17, 'rdmsr_kernel' 18, 'wrmsr_kernel' 19, 'cpuid_0' 20, 'cpuid_1' 21, 'cpuid_7' 22, 'cpuid_b' 23, 'cpuid_d' 24, 'cpuid_hv' 25, 'pio_out_kernel' 26, 'pio_out_kernel_datamatch' 27, 'mmio_write_kernel' 28, 'mmio_write_kernel_datamatch' 29, 'ept_fault_in' 30, 'rdmsr_efer' 31, 'wrmsr_ignored' 32, 'monitor' 33, 'mwait' 34, 'sgdt' 35, 'sidt' 36, 'sldt' 37, 'str' 38, 'lgdt' 39, 'lidt' 40, 'vmread' 41, 'vmwrite' 42, 'vmptrld' 43, 'vmclear' 44, 'pio_in_kernel' 45, 'pio_out_kernel_pic' 46, 'x2apic_self_ipi' 47, 'x2apic_icr_self_ipi' 48, 'apic_eoi' 49, 'tsc_deadline_immediate' 50, 'apic_mmio_read' 51, 'xapic_self_ipi' 52, 'rep_outsb_64' 53, 'rep_insb_64' 54, 'ud2' 55, 'tscdeadline' 56, 'hlt_wakeup' 57, 'self_ipi_sti_nop' 58, 'self_ipi_sti_hlt' 59, 'self_ipi_tpr' 60, 'self_ipi_tpr_sti_nop' 61, 'self_ipi_tpr_sti_hlt' 62, 'x2apic_self_ipi_sti_nop' 63, 'x2apic_self_ipi_sti_hlt' 64, 'x2apic_self_ipi_tpr' 65, 'x2apic_self_ipi_tpr_sti_nop' 66, 'x2apic_self_ipi_tpr_sti_hlt' 67, 'io_latency_in' 68, 'vcpu_switch' 69, 'ple_round_robin' 70)
set arrow 1 from -0.5, 53 - 0.5 to 3 - 0.5, 53 - 0.5 nohead lw 2 lc rgb 'black' front
set palette defined (-1 '#2166AC', 0 '#F7F7F7', 1 '#B2182B')
set cbrange [-1:1]
set colorbox user origin screen 0.84, screen 1.3 / h size screen 0.03, screen (h - 2.05) / h
set cbtics ("≤ 0.5" -1, "0.8" -0.321928, "1" 0, "1.25" 0.321928, "≥ 2" 1)
set cblabel 'ratio (log)'
unset key
plot 'compare-heatmap.dat' using 1:2:3 with image, \
     '' using 1:2:5 with labels
