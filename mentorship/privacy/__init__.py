"""Personal data: a person reading, downloading and erasing their own, a coordinator erasing a
participant of their programme, and erasure after the retention period."""
