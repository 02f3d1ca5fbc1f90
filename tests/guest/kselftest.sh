# The watchdog_hpet kselftest, KTAP on the console.
/selftests/watchdog_hpet/hardlockup_detector.sh
echo "HPETWD: kselftest rc=$?"
