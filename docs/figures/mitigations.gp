set terminal pngcairo size 1800,700 noenhanced
set output 'mitigations.png'
set style data histograms
set style histogram clustered
set style fill solid 0.8 border -1
set boxwidth 0.9
set ylabel 'emulated ticks (instructions, Bochs), log scale'
set logscale y
set yrange [100:*]
set xtics rotate by 90 right font ',9'
set bmargin 12
set title 'kvm_intel exit round trips under Bochs: kernels and mitigations'
set key outside top center horizontal
set grid ytics
plot 'mitigations.dat' using 2:xtic(1) title '6.1.0-57-amd64 mitigations=off', 'mitigations.dat' using 3:xtic(1) title '6.1.0-57-amd64 mitigations=auto', 'mitigations.dat' using 4:xtic(1) title '6.12.118+deb12-amd64 mitigations=off', 'mitigations.dat' using 5:xtic(1) title '6.12.118+deb12-amd64 mitigations=auto'
