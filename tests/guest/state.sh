# Only report what the detector says about itself.
report_state
