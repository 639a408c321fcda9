# apply/revert throwaway dist patches for upper-bound experiments: bounds.sh apply history|noexplain ; bounds.sh revert
cd /work/main/dist/apps/engine/src
case "$1" in
  apply)
    case "$2" in
      history) cp history/history.worker.js /tmp/hw.bak; sed -i 's/if (state.appliedThrough >= m.ask.through || interrupted)/if (true)/' history/history.worker.js; grep -c "if (true)" history/history.worker.js;;
      noexplain) cp decisions/row-run.js /tmp/rr.bak; sed -i 's/const explained = explain ? (0, domain_1.explainedFeatures)(values, this.arm.model.baseline) : undefined;/const explained = explain ? [] : undefined;/' decisions/row-run.js; grep -c "explain ? \[\]" decisions/row-run.js;;
    esac;;
  revert) [ -f /tmp/hw.bak ] && cp /tmp/hw.bak history/history.worker.js && rm /tmp/hw.bak; [ -f /tmp/rr.bak ] && cp /tmp/rr.bak decisions/row-run.js && rm /tmp/rr.bak; echo reverted;;
esac
