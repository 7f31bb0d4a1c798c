"""Review dates: a decided poll or an adopted purpose asked about again on its date, in every
channel (Still right, Change it, Drop it), and the promises-kept figure."""
