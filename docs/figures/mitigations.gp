set terminal pngcairo size 1100,500 noenhanced
set output 'mitigations.png'
set style data histograms
set style histogram clustered
set style fill solid 0.8 border -1
set boxwidth 0.9
set ylabel 'emulated ticks (instructions, Bochs)'
set yrange [0:*]
set title 'kvm_intel exit round trips under Bochs: kernels and mitigations'
set key outside right top vertical
set grid ytics
plot 'mitigations.dat' using 2:xtic(1) title '6.1.0-57-amd64 mitigations=off', 'mitigations.dat' using 3:xtic(1) title '6.1.0-57-amd64 mitigations=auto', 'mitigations.dat' using 4:xtic(1) title '6.12.118+deb12-amd64 mitigations=off', 'mitigations.dat' using 5:xtic(1) title '6.12.118+deb12-amd64 mitigations=auto'
