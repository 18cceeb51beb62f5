-- Token usage of replies drafted by a model (zero for the offline engine).
ALTER TABLE messages ADD COLUMN input_tokens BIGINT NOT NULL DEFAULT 0;
ALTER TABLE messages ADD COLUMN output_tokens BIGINT NOT NULL DEFAULT 0;
