# argus/sflow.mk - filled in by its owner
