# Load a KUnit test module; its KTAP results go to the kernel log.
insmod "/lib/modules/$arg_module.ko"
echo "HPETWD: kunit module $arg_module loaded rc=$?"
