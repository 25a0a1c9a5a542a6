# SPDX-License-Identifier: MIT
# ebpf-record: BPF skeleton + libbpf, YAML config, the .ebt writer.
