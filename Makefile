# hpetwd test bed. `make` installs what is missing, builds the patched
# kernel and shows the HPET NMI watchdog catching a hard lockup in QEMU;
# `make check` runs every test. See README.md.

HPETWD_CACHE ?= /var/cache/hpetwd
BUILD ?= $(CURDIR)/build
export HPETWD_CACHE BUILD KSRC

.PHONY: all deps build kernel initramfs qemu demo check soak bench run series clean scenario

all: deps build demo

deps:
	@tests/lib/deps.sh

build: kernel initramfs

kernel:
	@tests/lib/kbuild.sh

initramfs:
	@tests/lib/initramfs.sh

# The patched QEMU of the interrupt-remapping scenarios (tests/qemu/).
qemu:
	@tests/lib/qemu-build.sh

demo:
	@tests/demo.sh

# One scenario by name: make scenario S=lockup-rr-2cpu-last
scenario:
	@tests/run-scenario $(S)

check: deps build
	@PATCHED_QEMU=$$(tests/lib/qemu-build.sh) && export PATCHED_QEMU && tests/check.sh

# 10 guest-minutes per mode: idle + load, and a 4 kHz PMI train on every CPU.
soak: deps build
	@NOLOAD_SECS=$${NOLOAD_SECS:-600} SOAK_SECS=$${SOAK_SECS:-600} \
		tests/run-scenario noload-rr noload-ipi soak-train-rr soak-train-ipi apicid256-x2apic-ipi \
		ir-intel-runtime-rr noload-ipi runtime-ipi ir-amd-runtime-rr ir-amd-proof-ipi \
		ir-x2apic-proof-ipi hotadd-rr ir-amd-hotadd-ipi train-ir-amd-ipi train-amdwin-ipi \
		ir-intel-sleep-s3-rr deadline-ipi relock-buddy

# Figures, not tests: build/results/bench.txt (RUNS=10 lockups per detector).
bench: deps build
	@tests/bench.sh

run: build
	@tests/run.sh

series:
	@tests/lib/series.sh

clean:
	rm -rf $(BUILD)
