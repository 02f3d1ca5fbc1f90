# Hang on purpose (the harness's timeout self-test).
echo "HPETWD: sleeping ${arg_secs}s"
sleep "$arg_secs"
